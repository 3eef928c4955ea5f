import type { Db, LcContinuationRow } from '@checkwire/db';
import { isCheckwireError } from '@checkwire/errors';
import { GrpcStatus, isGrpcError, type PromiseClient } from '@checkwire/grpc';
import { createLogger } from '@checkwire/log';
import type { Continuation, LcExtensionServiceService } from '@checkwire/proto';
import { backoffMs } from './backoff.js';
import type { Clock } from './clock.js';
import { checkContinuations, type CheckedContinuation } from './continuation-limits.js';
import { recordContinuation } from './continuation-metrics.js';
import {
  claimContinuations,
  finishContinuation,
  nextContinuationDue,
  retryContinuation,
  storeContinuations,
  waitingElsewhere,
} from './continuation.repository.js';
import { LeasedBatches } from './leased-batches.js';
import { timedLoop, type TimedLoop } from './loop.js';

const LOG = createLogger('scheduler');

export type ExtensionClient = PromiseClient<typeof LcExtensionServiceService>;

/** The continuation worker's defaults, in one place. */
export const CONTINUATION_DELIVERY_DEFAULTS = Object.freeze({
  /** Continuations leased per batch. */
  batchSize: 100,
  /** Extension calls in flight. */
  concurrency: 32,
  /** An extension's time per call: LimaCharlie gives an extension two minutes. */
  deadlineMs: 120_000,
  /** Deliveries per continuation, the first included: LimaCharlie's three attempts. */
  maxAttempts: 3,
  /** The back-off before attempt n+1 is up to this × 2^(n-1), with jitter. */
  retryBaseMs: 1000,
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
  /** @default CONTINUATION_DELIVERY_DEFAULTS.pollIntervalMs (5000) */
  pollIntervalMs?: number;
}

/** How much of an extension's error is kept on the row and logged. */
const MAX_ERROR_CHARS = 2000;

type Outcome =
  { ok: true; continuations: Continuation[] } | { ok: false; error: string; retry: boolean };

const clip = (s: string) => (s.length > MAX_ERROR_CHARS ? `${s.slice(0, MAX_ERROR_CHARS)}…` : s);

/**
 * Delivers due continuations to their extensions (LcExtensionService.OnExtensionRequest), under
 * leases, once across replicas: the answer's own continuations are stored in the transaction
 * that marks it delivered; a retriable error (or no answer) is tried again with back-off up to
 * `maxAttempts` deliveries in all; anything else is given up, logged, and kept with its error.
 */
export class ContinuationWorker {
  private readonly o: Readonly<Required<ContinuationDeliveryOptions>>;
  private readonly batches: LeasedBatches;
  private readonly names: readonly string[];
  /** Extensions with continuations waiting that no handler here serves, already logged. */
  private readonly warned = new Set<string>();
  private loop: TimedLoop | undefined;

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

  /** When the next continuation this replica delivers comes due; logs unknown extensions once. */
  async nextDue(): Promise<Date | undefined> {
    for (const name of await waitingElsewhere(this.db, this.names)) {
      if (this.warned.has(name)) continue;
      this.warned.add(name);
      LOG.warn(
        `continuations of LC extension ${JSON.stringify(name)} are waiting, but it is not in SCHEDULER_LC_EXTENSIONS here: kept until a scheduler that has it delivers them`,
      );
    }
    return nextContinuationDue(this.db, this.names, this.clock.now());
  }

  private async settle(c: LcContinuationRow): Promise<void> {
    // Claimed again after its last attempt's lease ran out (its worker died each time): no more.
    const outcome: Outcome =
      c.attempts > this.o.maxAttempts
        ? {
            ok: false,
            retry: false,
            error: `attempt ${this.o.maxAttempts} of ${this.o.maxAttempts} got no answer before its lease ran out`,
          }
        : await this.deliver(c);
    if (outcome.ok) {
      let chained: CheckedContinuation[];
      try {
        chained = checkContinuations('continuations', outcome.continuations);
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
          org: { oid: c.oid, jwt: c.jwt, ident: c.ident },
          config: c.config,
        };
        await storeContinuations(trx, source, chained, now);
        return true;
      });
      if (held) recordContinuation('delivered');
    } else if (!outcome.retry || c.attempts >= this.o.maxAttempts) {
      const why = outcome.retry ? ` (attempt ${c.attempts} of ${this.o.maxAttempts})` : '';
      await this.giveUp(c, `${outcome.error}${why}`);
    } else {
      recordContinuation('retried');
      const at = new Date(this.clock.now().getTime() + backoffMs(c.attempts, this.o.retryBaseMs));
      await retryContinuation(this.db, c, outcome.error, at);
    }
  }

  private async giveUp(c: LcContinuationRow, error: string): Promise<void> {
    if (await finishContinuation(this.db, c, this.clock.now(), 'gave_up', error)) {
      recordContinuation('gave_up');
      LOG.warn(
        `gave up continuation ${c.id} (${c.extension_name} ${c.action} for ${c.oid}): ${error}`,
      );
    }
  }

  private async deliver(c: LcContinuationRow): Promise<Outcome> {
    const client = this.extensions.get(c.extension_name);
    if (client === undefined) {
      // Not claimed unless configured; kept as retriable should that ever change under it.
      return { ok: false, retry: true, error: `no handler for extension ${c.extension_name}` };
    }
    const deadline = new Date(this.clock.now().getTime() + this.o.deadlineMs);
    try {
      const { response } = await client.onExtensionRequest(
        {
          request: {
            call: { extensionName: c.extension_name, idempotencyKey: c.id, deadline },
            org: { oid: c.oid, jwt: c.jwt, ident: c.ident },
            action: c.action,
            data: c.state,
            config: c.config,
            continuation: { id: c.id, attempt: c.attempts, dueAt: c.due_at },
          },
        },
        { deadlineMs: this.o.deadlineMs },
      );
      if (response === undefined || response.error === '') {
        return { ok: true, continuations: response?.continuations ?? [] };
      }
      return { ok: false, retry: response.retriable, error: clip(response.error) };
    } catch (err) {
      if (!isGrpcError(err)) {
        return { ok: false, retry: true, error: clip(String(err)) };
      }
      const error = clip(`${GrpcStatus[err.code]}: ${err.details}`);
      // An extension without OnExtensionRequest will not have it on the next attempt either.
      return { ok: false, retry: err.code !== GrpcStatus.UNIMPLEMENTED, error };
    }
  }
}
