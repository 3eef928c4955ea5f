import { randomUUID } from 'node:crypto';
import type { Db, LcDeliveryRow } from '@checkwire/db';
import { GrpcStatus, isGrpcError, type PromiseClient } from '@checkwire/grpc';
import { HANDLER_ETYPES } from '@checkwire/lc-wire';
import type { CallbackResult, JobsServiceService, LcHandlerServiceService } from '@checkwire/proto';
import { backoffMs } from './backoff.js';
import type { Clock } from './clock.js';
import {
  claimDeliveries,
  finishDeliveries,
  retryDelivery,
  type LeasedDelivery,
} from './delivery.repository.js';
import { createLogger } from '@checkwire/log';
import { recordTick } from './tick-metrics.js';

const LOG = createLogger('scheduler');

export type HandlerClient = PromiseClient<typeof LcHandlerServiceService>;
export type JobsClient = PromiseClient<typeof JobsServiceService>;

export interface DeliveryOptions {
  /** Deliveries leased per batch. @default 500 */
  batchSize?: number;
  /** Handler calls in flight. @default 128 */
  concurrency?: number;
  /** A handler's time per call. @default 30000 */
  deadlineMs?: number;
  /** Tries before a delivery is dropped (logged, kept with its error). @default 5 */
  maxAttempts?: number;
  /** Batches one run claims at most before it returns (the loop calls it again). @default 20 */
  maxBatches?: number;
}

/** Delivered callbacks are marked done this many at a time. */
const DONE_CHUNK = 100;

type Leased = LcDeliveryRow & { jwt: string };

type Outcome = { ok: true } | { ok: false; error: string; retry: boolean };

/** Calls handlers with the periodic callbacks the ticker queued, under leases, with retries. */
export class DeliveryWorker {
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly deadlineMs: number;
  private readonly maxAttempts: number;
  private readonly maxBatches: number;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly handlers: Map<string, HandlerClient>,
    private readonly jobs: JobsClient | undefined,
    options: DeliveryOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.concurrency = options.concurrency ?? 128;
    this.deadlineMs = options.deadlineMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.maxBatches = options.maxBatches ?? 20;
  }

  /**
   * Delivers what is due, a batch of leases at a time, at most `maxBatches` batches; returns how
   * many deliveries it handled (0: nothing was due). The next batch is claimed while the last
   * calls of the current one are still out, so the handler is never left idle between batches
   * (one claim at a time). Each lease covers its batch at this concurrency (each call bounded by
   * the deadline), and what is delivered is marked done as it goes, so a slow batch neither loses
   * its lease nor holds finished work hostage; a delivery whose lease was lost anyway is settled
   * by its new holder.
   */
  async runOnce(): Promise<number> {
    const rounds = Math.ceil(this.batchSize / this.concurrency);
    // A batch claimed early waits behind fewer than `concurrency` deliveries: one round more.
    const leaseMs = (rounds + 1) * this.deadlineMs + 10_000;
    const queue: Leased[] = [];
    let handled = 0;
    let claims = 0;
    let exhausted = false;
    let failed: { err: unknown } | undefined;
    let claiming: Promise<void> | undefined;
    // Never rejects: a failed claim ends this run once what was claimed is delivered.
    const claim = () =>
      (claiming ??= (async () => {
        try {
          const batch = await claimDeliveries(this.db, this.clock.now(), this.batchSize, leaseMs);
          claims++;
          queue.push(...batch);
          handled += batch.length;
          if (batch.length < this.batchSize || claims >= this.maxBatches) exhausted = true;
        } catch (err) {
          failed = { err };
          exhausted = true;
        }
      })().finally(() => (claiming = undefined)));
    let done: LeasedDelivery[] = [];
    const flush = async () => {
      const finished = done;
      done = [];
      await finishDeliveries(this.db, finished, this.clock.now());
    };
    const worker = async () => {
      for (;;) {
        // Low on work: the next batch is claimed now, while the others finish theirs.
        if (!exhausted && queue.length < this.concurrency) void claim();
        if (queue.length === 0) {
          if (claiming === undefined) return;
          await claiming;
          continue;
        }
        const d = queue.shift()!;
        // Claimed again after its last try's lease ran out (its worker died each time): no more.
        const outcome: Outcome =
          d.attempts > this.maxAttempts
            ? { ok: false, retry: false, error: `no outcome after ${this.maxAttempts} attempts` }
            : await this.deliver(d);
        if (outcome.ok) {
          recordTick(d.etype, 'delivered');
          done.push(d);
          if (done.length >= DONE_CHUNK) await flush();
        } else if (!outcome.retry || d.attempts >= this.maxAttempts) {
          recordTick(d.etype, 'dropped');
          LOG.warn(`dropped ${d.etype} for ${d.service_name}/${d.oid}: ${outcome.error}`);
          await finishDeliveries(this.db, [d], this.clock.now(), outcome.error);
        } else {
          recordTick(d.etype, 'retried');
          const at = new Date(this.clock.now().getTime() + backoffMs(d.attempts));
          await retryDelivery(this.db, d, outcome.error, at);
        }
      }
    };
    await claim();
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
    await flush();
    if (failed !== undefined) throw failed.err;
    return handled;
  }

  private async deliver(d: LcDeliveryRow & { jwt: string }): Promise<Outcome> {
    const client = this.handlers.get(d.service_name);
    const method = HANDLER_ETYPES[d.etype];
    if (client === undefined || method === undefined) {
      return { ok: false, retry: false, error: `no handler for ${d.service_name} ${d.etype}` };
    }
    const deadline = new Date(this.clock.now().getTime() + this.deadlineMs);
    let result: CallbackResult | undefined;
    try {
      const call = (client as unknown as Record<string, Call>)[method]!;
      const response = await call(
        {
          callback: {
            etype: d.etype,
            oid: d.oid,
            jwt: d.jwt,
            mid: randomUUID(),
            deadline,
            data: d.sid === '' ? {} : { sid: d.sid },
            serviceName: d.service_name,
            sid: d.sid,
          },
        },
        { deadlineMs: this.deadlineMs },
      );
      result = response.result;
    } catch (err) {
      // A handler that does not implement the cadence has nothing to do: that is delivered.
      if (isGrpcError(err, GrpcStatus.UNIMPLEMENTED)) return { ok: true };
      const reason = isGrpcError(err) ? `${GrpcStatus[err.code]}: ${err.details}` : String(err);
      return { ok: false, retry: true, error: reason };
    }
    if (result !== undefined && result.jobs.length > 0 && this.jobs !== undefined) {
      try {
        await this.jobs.applyJobUpdates({
          oid: d.oid,
          serviceName: d.service_name,
          updates: result.jobs,
        });
      } catch (err) {
        return { ok: false, retry: true, error: `storing the handler's jobs: ${String(err)}` };
      }
    }
    if (result !== undefined && !result.success && result.retry) {
      return { ok: false, retry: true, error: result.error || 'the handler asked to retry' };
    }
    return { ok: true };
  }
}

type Call = (
  request: { callback: object },
  options: { deadlineMs: number },
) => Promise<{ result?: CallbackResult }>;
