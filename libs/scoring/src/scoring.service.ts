import type { Context } from '@opentelemetry/api';
import { FailedPreconditionError, NotFoundError, requireId } from '@checkwire/errors';
import { retryOnConflict } from '@checkwire/db';
import type {
  CheckRunRow,
  Db,
  ServiceErrorKindName,
  ServiceErrorRow,
  SqlClient,
} from '@checkwire/db';
import {
  findOpenRun,
  findRunOfScore,
  type ClosedRun,
  type OpenedRun,
  type RunTraceIds,
} from './check-run.repository.js';
import type { CheckTracing, Traced } from './check-tracing.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
import {
  closeCheckRunsGrouped,
  insertScoresGrouped,
  openCheckRunsGrouped,
  type OpenOutcome,
  type ScoreWriteOutcome,
} from './lifecycle-group.repository.js';
import {
  findScoreByRequestId,
  insertScoreBatch,
  lockServicesForScoring,
  type ScoreInput,
} from './score.repository.js';
import { matchBatch, type ScoredResult } from './score-batch.js';
import { requireBatchSize, validCheckError, validScore, type ScoreRequest } from './score-input.js';
import { CheckBatches } from './check-batch.service.js';
import { insertServiceError } from './service-error.repository.js';
import type { StatusNotifier } from './status-notifier.js';

function downError(serviceId: number, reason: string): FailedPreconditionError {
  const why = reason === '' ? 'no reason given' : `reason: ${reason}`;
  return new FailedPreconditionError(
    `service ${serviceId} is administratively down (${why}); it accepts no scores`,
  );
}

/** How concurrent single calls are grouped (group-commit.ts); the defaults are its own. */
export type GroupingOptions = Pick<
  GroupCommitOptions<unknown, unknown>,
  'maxGroup' | 'maxInFlight'
>;

/**
 * The four actions of the seed's external checks, plus the batch insert. Concurrent in
 * progress, score and done calls are each written in groups (group-commit.ts): one statement
 * for all the calls of a kind that arrive while the previous one is written.
 */
export class ScoringActions {
  /** The same actions for many checks at once (check runners). */
  readonly batches: CheckBatches;
  private readonly opens: GroupCommit<{ serviceId: number; ids: RunTraceIds }, OpenOutcome>;
  private readonly scores: GroupCommit<ScoreInput, ScoreWriteOutcome>;
  private readonly closes: GroupCommit<number, ClosedRun>;

  constructor(
    private readonly db: Db,
    /** Runs the lifecycle's prepared statements. */
    private readonly sqlClient: SqlClient,
    private readonly notifier: StatusNotifier,
    private readonly tracing: CheckTracing,
    grouping: GroupingOptions = {},
  ) {
    this.batches = new CheckBatches(db, sqlClient, notifier, tracing);
    this.opens = new GroupCommit({
      ...grouping,
      spanName: 'checkwire.group.InsertServiceScoreInProgress',
      key: (o) => o.serviceId,
      write: (items) => openCheckRunsGrouped(sqlClient, items),
    });
    this.scores = new GroupCommit({
      ...grouping,
      spanName: 'checkwire.group.InsertServiceScore',
      key: (s) => s.serviceId,
      write: (inputs) => insertScoresGrouped(sqlClient, inputs),
    });
    this.closes = new GroupCommit({
      ...grouping,
      spanName: 'checkwire.group.InsertServiceScoreDone',
      key: (serviceId) => serviceId,
      write: (ids) => closeCheckRunsGrouped(sqlClient, ids, tracing.enabled),
    });
  }

  /**
   * insert_service_score_in_progress: opens a run (or returns the open one) and shows the
   * spinner. A new run gets its check span identity (child of the caller's span, if any).
   */
  async markInProgress(
    serviceId: number,
    caller: Context,
    ended?: Pick<AbortSignal, 'aborted'>,
  ): Promise<Traced<OpenedRun>> {
    requireId('service_id', serviceId);
    const callStart = new Date();
    const opened = await this.open(serviceId, this.tracing.newIds(caller), ended);
    this.tracing.remember(opened.run);
    this.tracing.opened(opened.run, callStart);
    if (opened.created) this.notifier.changed(serviceId);
    return { value: opened, traceId: this.tracing.traceIdOf(opened.run) };
  }

  /** Opens the run, going again while a concurrent open hid it from the statement's snapshot. */
  private async open(
    serviceId: number,
    ids: RunTraceIds,
    ended: Pick<AbortSignal, 'aborted'> | undefined,
  ): Promise<OpenedRun> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const outcome = await this.opens.submit({ serviceId, ids }, ended);
      if (outcome === 'no-service') throw new NotFoundError('service', serviceId);
      if (outcome !== 'again') return outcome;
    }
    throw new Error(`could not open or find a check run for service ${serviceId} after 5 attempts`);
  }

  /** insert_service_score: stores the (capped) score and the service's last_scan fields. */
  async insertScore(
    request: ScoreRequest,
    ended?: Pick<AbortSignal, 'aborted'>,
  ): Promise<Traced<ScoredResult>> {
    const input = validScore('', request);
    const { value: outcome, traceId } = await this.tracing.inRun(
      'checkwire.InsertServiceScore',
      input.serviceId,
      () => findOpenRun(this.sqlClient, input.serviceId),
      () => this.scores.submit(input, ended),
    );
    switch (outcome.kind) {
      case 'inserted':
        this.notifier.changed(input.serviceId);
        return { value: { score: outcome.score, replayed: false }, traceId };
      case 'no-service':
        throw new NotFoundError('service', input.serviceId);
      case 'not-written': {
        // A keyed retry is answered with the first score; else the service is down.
        if (input.requestId !== null) {
          const first = await findScoreByRequestId(this.db, input.serviceId, input.requestId);
          if (first !== undefined) return { value: { score: first, replayed: true }, traceId };
        }
        if (outcome.down) throw downError(input.serviceId, outcome.reason);
        throw new Error(`score for service ${input.serviceId} was neither written nor found`);
      }
    }
  }

  /** insert_service_score_done: closes the open run, hides the spinner, records the check span. */
  async markDone(
    serviceId: number,
    ended?: Pick<AbortSignal, 'aborted'>,
  ): Promise<Traced<CheckRunRow | undefined>> {
    requireId('service_id', serviceId);
    const { value: closed, traceId } = await this.tracing.inRun(
      'checkwire.InsertServiceScoreDone',
      serviceId,
      () => findOpenRun(this.sqlClient, serviceId),
      () => this.closes.submit(serviceId, ended),
    );
    if (!closed.serviceExists) throw new NotFoundError('service', serviceId);
    if (closed.run !== undefined) {
      this.notifier.changed(serviceId);
      await this.tracing.closed(closed.run, closed.details);
    } else {
      this.tracing.forget(serviceId); // closed elsewhere (another replica, the sweeper)
    }
    return { value: closed.run, traceId: this.tracing.traceIdOf(closed.run) ?? traceId };
  }

  /** report_service_error: records what went wrong with the check that produced a score. */
  async reportServiceError(input: {
    scoreId: number;
    kind: ServiceErrorKindName | undefined;
    message: string;
    detail: string;
  }): Promise<Traced<ServiceErrorRow>> {
    const scoreId = requireId('score_id', input.scoreId);
    const error = { scoreId, ...validCheckError('', input) };
    return this.tracing.inRun(
      'checkwire.ReportServiceError',
      undefined,
      () => findRunOfScore(this.sqlClient, scoreId),
      () => insertServiceError(this.db, error),
    );
  }

  /** Many scores in one transaction: all are written, or none (unknown or down service). */
  async insertScores(requests: ScoreRequest[]): Promise<ScoredResult[]> {
    requireBatchSize('entries', requests.length, 'scores');
    const inputs = requests.map((r, i) => validScore(`entries[${i}].`, r));
    const ids = [...new Set(inputs.map((i) => i.serviceId))];
    // Tried again if PostgreSQL aborts it for a deadlock with a concurrent writer (it wrote
    // nothing then), as the runners' batches are.
    const results = await retryOnConflict(() =>
      this.db.transaction().execute(async (trx) => {
        const services = new Map((await lockServicesForScoring(trx, ids)).map((s) => [s.id, s]));
        inputs.forEach((input, i) => {
          const service = services.get(input.serviceId);
          if (service === undefined) {
            throw new NotFoundError(`entries[${i}].service_id: service`, input.serviceId);
          }
          if (service.administratively_down) throw downError(service.id, service.down_reason);
        });
        const written = await insertScoreBatch(trx, inputs);
        return matchBatch(trx, inputs, written);
      }),
    );
    this.notifier.changed(...results.filter((r) => !r.replayed).map((r) => r.score.service_id));
    return results;
  }
}
