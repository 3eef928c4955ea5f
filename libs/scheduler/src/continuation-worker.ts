import type { Db } from '@checkwire/db';
import { isCheckwireError } from '@checkwire/errors';
import { createLogger } from '@checkwire/log';
import type { Continuation } from '@checkwire/proto';
import { backoffMs } from './backoff.js';
import type { Clock } from './clock.js';
import { callExtension, type ExtensionClient } from './continuation-call.js';
import { checkContinuations, type CheckedContinuation } from './continuation-limits.js';
import { recordContinuation } from './continuation-metrics.js';
import {
  claimContinuations,
  finishContinuation,
  nextContinuationDue,
  retryContinuation,
  storeContinuations,
  waitingElsewhere,
  type ClaimedContinuation,
} from './continuation.repository.js';
import { fresherJwt } from './fresher-jwt.js';
import { LeasedBatches } from './leased-batches.js';
import { timedLoop, type TimedLoop } from './loop.js';

const LOG = createLogger('scheduler');

export type { ExtensionClient } from './continuation-call.js';

/** The continuation worker's defaults, in one place. */
export const CONTINUATION_DELIVERY_DEFAULTS = Object.freeze({
  /** Continuations leased per batch. */
  batchSize: 100,
  /** Extension calls in flight. */
  concurrency: 32,
  /** An extension's time per call: LimaCharlie gives an extension two minutes. */
  deadlineMs: 120_000,
  /**
   * Deliveries the extension answered with a retriable error or did not answer in time
   * (DEADLINE_EXCEEDED: it may have done the work), the first included: LimaCharlie's three
   * attempts. Deliveries that never reached it do not count (see `unansweredBudgetMs`).
   */
  maxAttempts: 3,
  /** The back-off before retry n is up to this × 2^(n-1), with jitter. */
  retryBaseMs: 1000,
  /**
   * How long an extension may go unreached (UNAVAILABLE, a lease that ran out) before a
   * continuation is given up: a day, so a handler restarted or down for hours loses
   * nothing. Counted from the first unanswered delivery of the run; an answer ends the run.
   */
  unansweredBudgetMs: 24 * 3_600_000,
  /** The longest back-off between unanswered deliveries (they start at `retryBaseMs`). */
  unansweredRetryCapMs: 60_000,
  /** How often to look for due continuations besides the timer to the next one. */
  pollIntervalMs: 5000,
});

export interface ContinuationDeliveryOptions {
  /** @default CONTINUATION_DELIVERY_DEFAULTS.batchSize (100) */
  batchSize?: number;
  /** @default CONTINUATION_DELIVERY_DEFAULTS.concurrency (32) */
  concurrency?: number;
  /** @default CONTINUATION_DELIVERY_DEFAULTS.deadlineMs (120000) */
  deadlineMs?: number;
  /** @default CONTINUATION_DELIVERY_DEFAULTS.maxAttempts (3) */
  maxAttempts?: number;
  /** @default CONTINUATION_DELIVERY_DEFAULTS.retryBaseMs (1000) */
  retryBaseMs?: number;
  /** @default CONTINUATION_DELIVERY_DEFAULTS.unansweredBudgetMs (86400000: a day) */
  unansweredBudgetMs?: number;
  /** @default CONTINUATION_DELIVERY_DEFAULTS.unansweredRetryCapMs (60000) */
  unansweredRetryCapMs?: number;
  /** @default CONTINUATION_DELIVERY_DEFAULTS.pollIntervalMs (5000) */
  pollIntervalMs?: number;
}

/**
 * Delivers due continuations to their extensions (LcExtensionService.OnExtensionRequest), under
 * leases, once across replicas: the answer's own continuations are stored in the transaction
 * that marks it delivered; a retriable error (or no answer in time) is tried again with back-off
 * up to `maxAttempts` deliveries; a delivery that never reached the extension (unreachable, a
 * lease that ran out) is tried again with back-off capped at `unansweredRetryCapMs` for as long as
 * `unansweredBudgetMs` allows; anything else is given up, logged, and kept with its error.
 */
export class ContinuationWorker {
  private readonly o: Readonly<Required<ContinuationDeliveryOptions>>;
  private readonly batches: LeasedBatches;
  private readonly names: readonly string[];
  /** Extensions with continuations waiting that no handler here serves, already logged. */
  private readonly warned = new Set<string>();
  private loop: TimedLoop | undefined;
  /** The time the last claim looked for due continuations (`nextDue` starts there). */
  private lookedAt: Date | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly extensions: ReadonlyMap<string, ExtensionClient>,
    options: ContinuationDeliveryOptions = {},
  ) {
    this.o = Object.freeze({
      ...CONTINUATION_DELIVERY_DEFAULTS,
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    });
    this.batches = new LeasedBatches(this.o.concurrency, 'continuations');
    this.names = [...extensions.keys()];
  }

  /**
   * Delivers until stopped: at once, then whenever the next continuation comes due (a timer),
   * when woken, and every `pollIntervalMs` (what another replica stored, leases that ran out).
   */
  start(): void {
    this.loop ??= timedLoop(
      'continuations',
      this.o.pollIntervalMs,
      () => this.runOnce(),
      () => this.nextDue(),
      () => this.clock.now(),
    );
  }

  /** Looks for due continuations now and sets the timer again (new ones were stored). */
  wake(): void {
    this.loop?.wake();
  }

  /** Stops claiming, then waits for the calls out to end and their outcomes to be written. */
  async stop(): Promise<void> {
    await this.loop?.stop();
    await this.batches.drain();
  }

  /** Claims one batch of due continuations and starts delivering it; returns its size. */
  async runOnce(): Promise<number> {
    const leaseMs = this.batches.leaseMs(this.o.batchSize, this.o.deadlineMs);
    const now = this.clock.now();
    this.lookedAt = now;
    const batch = await claimContinuations(this.db, this.names, now, this.o.batchSize, leaseMs);
    if (batch.length === 0) return 0;
    // Once settled, the batch may have stored continuations (chained, or retries due later)
    // that the timer does not know of yet.
    await this.batches.start(
      batch,
      (c) => this.settle(c),
      () => Promise.resolve(this.wake()),
    );
    return batch.length;
  }

  /**
   * When the next continuation this replica delivers comes due; logs unknown extensions once.
   * Looked for after the time of the last claim, not after now: one that came due between the
   * two (a short back-off, a slow database) was not claimed, and is due at once rather than
   * left to the poll.
   */
  async nextDue(): Promise<Date | undefined> {
    for (const name of await waitingElsewhere(this.db, this.names)) {
      if (this.warned.has(name)) continue;
      this.warned.add(name);
      LOG.warn(
        `continuations of LC extension ${JSON.stringify(name)} are waiting, but it is not in SCHEDULER_LC_EXTENSIONS here: kept until a scheduler that has it delivers them`,
      );
    }
    return nextContinuationDue(this.db, this.names, this.lookedAt ?? this.clock.now());
  }

  private async settle(c: ClaimedContinuation): Promise<void> {
    const started = this.clock.now();
    // The lease of its last delivery ran out unanswered (counted when claimed) after the budget
    // was spent: that delivery was its last call. One retried within the budget (its last
    // delivery ended before the budget was spent) gets a last call even when it is due past it.
    const lost = c.lease_ran_out_at;
    if (
      lost !== null &&
      c.unreachable_since !== null &&
      this.pastBudget(c.unreachable_since, lost)
    ) {
      const last = c.last_error ?? 'no answer before its lease ran out';
      return this.giveUp(c, this.unansweredText(last, c.unreachable_since, c.unanswered));
    }
    // The org's JWT as the gateway last recorded it for this extension, or the continuation's
    // own, whichever expires later: LimaCharlie's JWTs last an hour, a continuation may wait 30
    // days, and the registry's may be older than the one its answer came with.
    const jwt = fresherJwt(c.registry_jwt, c.jwt);
    const client = this.extensions.get(c.extension_name);
    const outcome = await callExtension(client, c, jwt, this.o.deadlineMs, started);
    switch (outcome.kind) {
      case 'answered':
        return this.delivered(c, jwt, outcome.continuations);
      case 'unanswered': {
        const since = c.unreachable_since ?? started;
        const unanswered = c.unanswered + 1;
        if (this.pastBudget(since, this.clock.now())) {
          return this.giveUp(c, this.unansweredText(outcome.error, since, unanswered));
        }
        const wait = backoffMs(unanswered, this.o.retryBaseMs, this.o.unansweredRetryCapMs);
        return this.retry(c, outcome.error, wait, since);
      }
      case 'failed': {
        // This delivery included: the ones that reached the extension.
        const answered = c.attempts - c.unanswered;
        if (!outcome.retry) return this.giveUp(c, outcome.error);
        if (answered >= this.o.maxAttempts) {
          return this.giveUp(c, `${outcome.error} (attempt ${answered} of ${this.o.maxAttempts})`);
        }
        return this.retry(c, outcome.error, backoffMs(answered, this.o.retryBaseMs), null);
      }
    }
  }

  private async delivered(
    c: ClaimedContinuation,
    jwt: string,
    continuations: Continuation[],
  ): Promise<void> {
    let chained: CheckedContinuation[];
    try {
      chained = checkContinuations('continuations', continuations);
    } catch (err) {
      if (!isCheckwireError(err)) throw err;
      return this.giveUp(c, `its answer asked for continuations refused: ${err.message}`);
    }
    const now = this.clock.now();
    const held = await this.db.transaction().execute(async (trx) => {
      if (!(await finishContinuation(trx, c, now, 'delivered', null))) return false;
      const source = {
        extensionName: c.extension_name,
        sourceKey: c.id,
        org: { oid: c.oid, jwt, ident: c.ident },
        config: c.config,
      };
      await storeContinuations(trx, source, chained, now);
      return true;
    });
    if (held) recordContinuation('delivered');
  }

  private async retry(
    c: ClaimedContinuation,
    error: string,
    waitMs: number,
    unreachableSince: Date | null,
  ): Promise<void> {
    recordContinuation('retried');
    const at = new Date(this.clock.now().getTime() + waitMs);
    await retryContinuation(this.db, c, error, at, unreachableSince);
  }

  private async giveUp(c: ClaimedContinuation, error: string): Promise<void> {
    if (await finishContinuation(this.db, c, this.clock.now(), 'gave_up', error)) {
      recordContinuation('gave_up');
      LOG.warn(
        `gave up continuation ${c.id} (${c.extension_name} ${c.action} for ${c.oid}): ${error} (RequeueContinuation puts it back)`,
      );
    }
  }

  private pastBudget(since: Date, now: Date): boolean {
    return now.getTime() - since.getTime() >= this.o.unansweredBudgetMs;
  }

  private unansweredText(last: string, since: Date, unanswered: number): string {
    return `${last} (${unanswered} deliveries unanswered since ${since.toISOString()}, past the ${duration(this.o.unansweredBudgetMs)} allowed)`;
  }
}

/** `24 h`, `90 s`, `250 ms`: a budget as a person reads it. */
function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
