import type { Context } from '@opentelemetry/api';
import type { CheckRunRow, SqlClient } from '@checkwire/db';
import {
  checkContext,
  emitCheckSpan,
  inChildSpan,
  recordChildSpan,
  newCheckTrace,
  type CheckTrace,
} from '@checkwire/telemetry';
import { runSpanDetails, type RunSpanDetails, type RunTraceIds } from './check-run.repository.js';

function traceOf(run: CheckRunRow): CheckTrace | undefined {
  if (run.trace_id === null || run.span_id === null) return undefined;
  return {
    traceId: run.trace_id,
    spanId: run.span_id,
    parentSpanId: run.parent_span_id,
    sampled: run.trace_sampled,
  };
}

export interface Traced<T> {
  value: T;
  /** The trace the work was recorded in (the check's, when there was an open run). */
  traceId: string | undefined;
}

/**
 * The check span of every run: its identity is chosen at in progress and kept with the run; the
 * work done for the run (score, errors, done) is recorded as its children, wherever it lands;
 * the span itself is recorded when the run closes. With tracing off, only the identity is kept
 * (so a later replica with tracing on can still record it) and nothing is read or recorded.
 */
export class CheckTracing {
  /** Open runs this replica knows, by service: spares a lookup per call on the hot path. */
  private readonly open = new Map<number, CheckRunRow>();

  constructor(
    private readonly client: SqlClient,
    readonly enabled: boolean,
  ) {}

  /** The identity for a run about to be opened: a child of the caller's span, if it sent one. */
  newIds(caller: Context): RunTraceIds {
    const t = newCheckTrace(caller);
    return {
      traceId: t.traceId,
      spanId: t.spanId,
      parentSpanId: t.parentSpanId,
      sampled: t.sampled,
    };
  }

  remember(run: CheckRunRow): void {
    if (this.enabled) this.open.set(run.service_id, run);
  }

  forget(serviceId: number): void {
    this.open.delete(serviceId);
  }

  /**
   * Records the in-progress call inside the check span, once the run it belongs to is known (a
   * new run's, or the one already open).
   */
  opened(run: CheckRunRow, callStart: Date): void {
    this.recordChild(run, 'checkwire.InsertServiceScoreInProgress', callStart);
  }

  /** Records a call that ended now as a child of the run's check span (batches use this). */
  recordChild(run: CheckRunRow, name: string, callStart: Date): void {
    const t = traceOf(run);
    if (!this.enabled || t === undefined) return;
    recordChildSpan(name, checkContext(t), callStart, new Date());
  }

  /** The run's trace id, while spans are recorded (otherwise there is no trace to look at). */
  traceIdOf(run: CheckRunRow | undefined): string | undefined {
    return this.enabled ? (run?.trace_id ?? undefined) : undefined;
  }

  /**
   * Runs `work` as a child span of the open run's check span. `findRun` is asked only when this
   * replica does not know the run (it was opened elsewhere, or before a restart).
   */
  async inRun<T>(
    name: string,
    known: number | undefined,
    findRun: () => Promise<CheckRunRow | undefined>,
    work: () => Promise<T>,
  ): Promise<Traced<T>> {
    if (!this.enabled) return { value: await work(), traceId: undefined };
    const run = (known === undefined ? undefined : this.open.get(known)) ?? (await findRun());
    const t = run === undefined ? undefined : traceOf(run);
    if (t === undefined) return { value: await work(), traceId: undefined };
    const value = await inChildSpan(name, checkContext(t), work);
    return { value, traceId: t.traceId };
  }

  /** Records the check span of a closed run, with what the check found. */
  async closed(run: CheckRunRow, known?: RunSpanDetails): Promise<void> {
    this.open.delete(run.service_id);
    const t = traceOf(run);
    if (!this.enabled || t === undefined || run.finished_at === null) return;
    const d = known ?? (await runSpanDetails(this.client, run.id));
    if (d === undefined) return;
    const lastKind = d.error_kinds[d.error_kinds.length - 1];
    emitCheckSpan(t, {
      start: run.started_at,
      end: run.finished_at,
      attributes: {
        'checkwire.check_run.id': run.id,
        'checkwire.service.id': run.service_id,
        'checkwire.team.id': d.team_id,
        'checkwire.service.subtype': d.subtype,
        'checkwire.service.external': d.external,
        ...(d.result === null ? {} : { 'checkwire.score.result': d.result }),
        ...(d.capped === null ? {} : { 'checkwire.score.capped': d.capped }),
        ...(lastKind === undefined
          ? {}
          : { 'checkwire.error.kind': lastKind, 'checkwire.error.kinds': d.error_kinds }),
        'checkwire.check_run.abandoned': run.abandoned,
      },
      error: run.abandoned
        ? 'abandoned'
        : lastKind === undefined
          ? undefined
          : `service error reported: ${d.error_kinds.join(', ')}`,
    });
  }
}
