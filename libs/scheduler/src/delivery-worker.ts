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
import type { InteractivePeriodic } from './interactive-periodic.js';
import { LeasedBatches } from './leased-batches.js';
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
}

/** Delivered callbacks are marked done this many at a time. */
const DONE_CHUNK = 100;

type Leased = LcDeliveryRow & { jwt: string };

type Outcome = { ok: true } | { ok: false; error: string; retry: boolean };

/** Calls handlers with the periodic callbacks the ticker queued, under leases, with retries. */
export class DeliveryWorker {
  private readonly batchSize: number;
  private readonly deadlineMs: number;
  private readonly maxAttempts: number;
  /** Call slots shared by every batch: at most `concurrency` handler calls out at once. */
  private readonly batches: LeasedBatches;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly handlers: Map<string, HandlerClient>,
    private readonly jobs: JobsClient | undefined,
    /** The rule and the sensor tasks of interactive handlers (lcservice's InteractiveService). */
    private readonly interactive: InteractivePeriodic,
    options: DeliveryOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.deadlineMs = options.deadlineMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.batches = new LeasedBatches(options.concurrency ?? 128, 'deliveries');
  }

  /**
   * Claims one batch and starts delivering it; returns its size (0: nothing was due) once every
   * delivery in it has a call slot, so the loop claims the next batch while this one's last calls
   * are still out and the handler is not left idle between batches. Calls in flight never exceed
   * `concurrency`, across batches. The lease covers the batch at this concurrency behind the
   * calls of the batch before it (each call bounded by the deadline); what is delivered is marked
   * done as it goes and when the batch ends, so a slow batch neither loses its lease nor holds
   * finished work hostage; a delivery whose lease was lost anyway is settled by its new holder.
   */
  async runOnce(): Promise<number> {
    const leaseMs = this.batches.leaseMs(this.batchSize, this.deadlineMs);
    const batch = await claimDeliveries(this.db, this.clock.now(), this.batchSize, leaseMs);
    if (batch.length === 0) return 0;
    const done: LeasedDelivery[] = [];
    const flush = () => finishDeliveries(this.db, done.splice(0), this.clock.now());
    await this.batches.start(batch, (d) => this.settle(d, done, flush), flush);
    return batch.length;
  }

  /** Waits for the calls of every batch started to end and their outcomes to be written. */
  drain(): Promise<void> {
    return this.batches.drain();
  }

  /** Calls the handler for one delivery and writes what came of it (done ones in chunks). */
  private async settle(
    d: Leased,
    done: LeasedDelivery[],
    flush: () => Promise<void>,
  ): Promise<void> {
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

  private async deliver(d: LcDeliveryRow & { jwt: string }): Promise<Outcome> {
    const client = this.handlers.get(d.service_name);
    const method = HANDLER_ETYPES[d.etype];
    if (client === undefined || method === undefined) {
      return { ok: false, retry: false, error: `no handler for ${d.service_name} ${d.etype}` };
    }
    // Everything for this callback (the handler, the rule, jobs, tasks) within one deadline.
    const deadlineAt = Date.now() + this.deadlineMs;
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
      // A handler that does not implement the cadence has nothing to do: that is delivered (an
      // interactive one's rule is still put back, as lcservice hooks org_per_1h itself).
      if (!isGrpcError(err, GrpcStatus.UNIMPLEMENTED)) {
        const reason = isGrpcError(err) ? `${GrpcStatus[err.code]}: ${err.details}` : String(err);
        return { ok: false, retry: true, error: reason };
      }
    }
    const periodic = {
      serviceName: d.service_name,
      etype: d.etype,
      oid: d.oid,
      jwt: d.jwt,
      deadlineAt,
    };
    const ruleFailed = await this.interactive.putRule(client, periodic);
    if (ruleFailed !== undefined) return { ok: false, ...ruleFailed };
    if (result === undefined) return { ok: true };
    if (result.jobs.length > 0 && this.jobs !== undefined) {
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
    // An answer asking to be asked again sends no tasks: the next attempt runs the handler again,
    // and the tasks of that answer go out instead of both. (Its jobs are stored: a job update is
    // keyed by its id, so the next answer's updates land on the same jobs.)
    if (!result.success && result.retry) {
      return { ok: false, retry: true, error: result.error || 'the handler asked to retry' };
    }
    // Tasks go out once the jobs they name are stored: a reply never names an unknown job. What
    // remains: a task that fails after others went out retries the callback, the handler runs
    // again and those tasks go out again, as under lcservice when LimaCharlie retried a callback.
    const tasksFailed = await this.interactive.sendTasks(client, periodic, result.tasks);
    if (tasksFailed !== undefined) return { ok: false, ...tasksFailed };
    return { ok: true };
  }
}

type Call = (
  request: { callback: object },
  options: { deadlineMs: number },
) => Promise<{ result?: CallbackResult }>;
