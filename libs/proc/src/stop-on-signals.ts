import { createLogger } from '@checkwire/log';

/**
 * On the first SIGTERM or SIGINT, runs `stop` (drain, flush) and exits 0, or 1 if it failed.
 * Later signals are ignored while stopping.
 */
export function stopOnSignals(name: string, stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      const log = createLogger(name);
      log.info(`${signal}, draining`);
      stop().then(
        () => process.exit(0),
        (err: unknown) => {
          log.failure('unclean stop', err);
          process.exit(1);
        },
      );
    });
  }
}
