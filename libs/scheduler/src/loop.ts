import { GrpcStatus, isGrpcError } from '@checkwire/grpc';
import { createLogger } from '@checkwire/log';

const LOG = createLogger('scheduler');

/** How a step's failure is logged: a peer restarting (scoring, Jobs) is one line per outage. */
function reportFailure(name: string, err: unknown): void {
  if (isGrpcError(err) && err.code === GrpcStatus.UNAVAILABLE) {
    LOG.outage(`${name} peer`, `${name} failed: ${err.details}`);
  } else if (isGrpcError(err)) {
    LOG.warn(`${name} failed: ${GrpcStatus[err.code]}: ${err.details}`);
  } else {
    LOG.failure(`${name} failed`, err);
  }
}

/** Runs `step` until it reports no more work (a number > 0 means more); false when it failed. */
async function drainSteps(name: string, step: () => Promise<unknown>, stopped: () => boolean) {
  let more = true;
  while (more && !stopped()) {
    try {
      const n = await step();
      more = typeof n === 'number' && n > 0;
    } catch (err) {
      reportFailure(name, err);
      return false;
    }
  }
  return true;
}

/** Runs `step` every `intervalMs` (again at once while it reports work) until stopped. */
export function loop(
  name: string,
  intervalMs: number,
  step: () => Promise<unknown>,
): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = (async () => {
      await drainSteps(name, step, () => stopped);
      if (!stopped) timer = setTimeout(run, intervalMs);
    })();
  };
  run();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

export interface TimedLoop {
  /** Runs the step soon (at once if it is waiting), e.g. when new work was stored here. */
  wake(): void;
  /** Stops it; resolves once the step running now has ended. */
  stop(): Promise<void>;
}

/**
 * Like `loop`, but it waits only until the time `next` names (the earliest work it knows of) when
 * that is sooner than `pollMs`, and `wake()` cuts the wait short: work due in 3 s runs in 3 s, not
 * at the next poll. The poll stays as the safety net for what `next` cannot see (work another
 * replica stored, a lease that ran out).
 */
export function timedLoop(
  name: string,
  pollMs: number,
  step: () => Promise<number>,
  next: () => Promise<Date | undefined>,
  now: () => Date,
): TimedLoop {
  let stopped = false;
  let woken = false;
  let cut: (() => void) | undefined;
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopped) return resolve();
      const timer = setTimeout(done, ms);
      cut = done;
      function done() {
        clearTimeout(timer);
        cut = undefined;
        resolve();
      }
    });
  const running = (async () => {
    while (!stopped) {
      woken = false;
      let delay = pollMs;
      if (await drainSteps(name, step, () => stopped)) {
        try {
          const at = await next();
          if (at !== undefined)
            delay = Math.min(pollMs, Math.max(0, at.getTime() - now().getTime()));
        } catch (err) {
          reportFailure(name, err);
        }
      }
      await wait(delay);
    }
  })();
  return {
    wake() {
      woken = true;
      cut?.();
    },
    async stop() {
      stopped = true;
      cut?.();
      await running;
    },
  };
}
