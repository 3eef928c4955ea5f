import { ROOT_CONTEXT } from '@opentelemetry/api';
import {
  retryOnConflict,
  type CheckRunRow,
  type Db,
  type ScoreRow,
  type ServiceErrorRow,
  type ServiceRow,
  type SqlClient,
} from '@checkwire/db';
import { InvalidArgumentError, NotFoundError, optionalTime, requireId } from '@checkwire/errors';
import {
  closeCheckRuns,
  insertServiceErrors,
  lockRuns,
  openCheckRuns,
  type BatchClosed,
  type BatchOpened,
} from './check-batch.repository.js';
import type { CheckTracing } from './check-tracing.js';
import { insertScoreBatch, lockServicesForScoring, type ScoreInput } from './score.repository.js';
import { matchBatch } from './score-batch.js';
import {
  requireBatchSize,
  validCheckError,
  validScore,
  type CheckErrorInput,
  type CheckErrorRequest,
  type ScoreRequest,
} from './score-input.js';
import type { StatusNotifier } from './status-notifier.js';
import { knownRounds } from './round.repository.js';
import { listServices } from './service.repository.js';

export interface FinishRequest extends ScoreRequest {
  /** The check's run (from start); 0: none, nothing is linked or closed. */
  checkRunId: number;
  error?: CheckErrorRequest | undefined;
  /** The round the check belongs to; absent: the round under way. */
  roundAt?: Date | undefined;
}

export interface Started {
  serviceId: number;
  /** undefined: the service is down and had no run open. */
  run: CheckRunRow | undefined;
  alreadyOpen: boolean;
  down: boolean;
  traceId: string | undefined;
  /** The service as it is now (unredacted: the edge redacts it for its caller). */
  service: ServiceRow;
}

export interface Finished {
  serviceId: number;
  /** undefined: the service is administratively down, nothing was scored. */
  score: ScoreRow | undefined;
  replayed: boolean;
  error: ServiceErrorRow | undefined;
  closed: CheckRunRow | undefined;
  down: boolean;
}

interface ValidFinish {
  score: ScoreInput & { requestId: string };
  runId: number;
  error: CheckErrorInput | undefined;
}

function validFinish(i: number, r: FinishRequest): ValidFinish {
  const at = `entries[${i}].`;
  const score = validScore(at, r);
  if (score.requestId === null) {
    throw new InvalidArgumentError(`${at}request_id`, 'is required (it makes a retry safe)');
  }
  const runId = r.checkRunId === 0 ? 0 : requireId(`${at}check_run_id`, r.checkRunId);
  return {
    score: {
      ...score,
      requestId: score.requestId,
      roundAt: optionalTime(`${at}round_time`, r.roundAt),
    },
    runId,
    error: r.error === undefined ? undefined : validCheckError(`${at}error.`, r.error),
  };
}

/**
 * The four actions for many checks at once, for check runners: start (in progress) in one
 * statement, and finish (score, error, done) in one transaction. Every check keeps its own run,
 * its own check span and its own trace. Both are tried again if PostgreSQL aborts them for a
 * deadlock with a concurrent writer (they wrote nothing then).
 */
export class CheckBatches {
  constructor(
    private readonly db: Db,
    private readonly sqlClient: SqlClient,
    private readonly notifier: StatusNotifier,
    private readonly tracing: CheckTracing,
  ) {}

  async start(serviceIds: number[]): Promise<Started[]> {
    requireBatchSize('service_ids', serviceIds.length, 'items');
    serviceIds.forEach((id, i) => requireId(`service_ids[${i}]`, id));
    const distinct = [...new Set(serviceIds)];
    const callStart = new Date();
    // A batch has no single caller to hang its checks under: each check is a trace of its own.
    const ids = distinct.map((serviceId) => ({
      serviceId,
      trace: this.tracing.newIds(ROOT_CONTEXT),
    }));
    const opened = await retryOnConflict(() => openCheckRuns(this.sqlClient, ids));
    if (opened === undefined) throw await this.missing(serviceIds);
    const byService = new Map<number, BatchOpened>(opened.map((o) => [o.serviceId, o]));
    for (const o of opened) {
      if (o.run === undefined) continue;
      this.tracing.remember(o.run);
      this.tracing.recordChild(o.run, 'checkwire.StartServiceChecks', callStart);
    }
    this.notifier.changed(...opened.filter((o) => o.created).map((o) => o.serviceId));
    // Read after the runs opened: the settings the checks will run with, one query a batch.
    const services = new Map(
      (await listServices(this.db, { ids: distinct })).map((s) => [s.id, s]),
    );
    return serviceIds.map((serviceId) => {
      const o = byService.get(serviceId)!;
      const service = services.get(serviceId);
      // Services are never deleted; one missing here would be a bug, not a caller's mistake.
      if (service === undefined)
        throw new Error(`service ${serviceId} vanished after its run opened`);
      return {
        serviceId,
        run: o.run,
        alreadyOpen: o.run !== undefined && !o.created,
        down: o.down,
        traceId: this.tracing.traceIdOf(o.run),
        service,
      };
    });
  }

  /** All or nothing: an unknown service or a bad entry writes nothing. */
  async finish(requests: FinishRequest[]): Promise<Finished[]> {
    requireBatchSize('entries', requests.length, 'items');
    const inputs = requests.map((r, i) => validFinish(i, r));
    const callStart = new Date();
    const { results, closed } = await retryOnConflict(() =>
      this.db.transaction().execute((trx) => this.finishIn(trx, inputs)),
    );
    const closedServices = new Set(closed.map((c) => c.run.service_id));
    for (const c of closed) {
      this.tracing.recordChild(c.run, 'checkwire.FinishServiceChecks', callStart);
      await this.tracing.closed(c.run, c.details);
    }
    this.notifier.changed(
      ...new Set([
        ...results.filter((r) => r.score !== undefined && !r.replayed).map((r) => r.serviceId),
        ...closedServices,
      ]),
    );
    return results;
  }

  private async finishIn(
    trx: Db,
    inputs: ValidFinish[],
  ): Promise<{ results: Finished[]; closed: BatchClosed[] }> {
    const ids = [...new Set(inputs.map((i) => i.score.serviceId))];
    const runIds = [...new Set(inputs.map((i) => i.runId).filter((id) => id > 0))];
    // Runs, then services: the order the single done and the abandoned-run sweeper lock them in.
    const runOwners = await lockRuns(trx, runIds);
    // An entry closes and links only a run of its own service: a caller allowed to score one
    // service must not close (or hang a score on) another's run.
    inputs.forEach((input, i) => {
      const owner = runOwners.get(input.runId);
      if (input.runId > 0 && owner !== input.score.serviceId) {
        throw new InvalidArgumentError(
          `entries[${i}].check_run_id`,
          `run ${input.runId} is not a run of service ${input.score.serviceId}`,
        );
      }
    });
    // A score counts in a round the scheduler started, never in one a caller made up.
    const rounds = await knownRounds(
      trx,
      inputs.flatMap((i) => i.score.roundAt ?? []),
    );
    inputs.forEach((input, i) => {
      const at = input.score.roundAt;
      if (at !== undefined && !rounds.has(at.getTime())) {
        throw new InvalidArgumentError(
          `entries[${i}].round_time`,
          `no round started at ${at.toISOString()}`,
        );
      }
    });
    const services = new Map((await lockServicesForScoring(trx, ids)).map((s) => [s.id, s]));
    inputs.forEach((input, i) => {
      if (!services.has(input.score.serviceId)) {
        throw new NotFoundError(`entries[${i}].service_id: service`, input.score.serviceId);
      }
    });
    const isDown = (input: ValidFinish) =>
      services.get(input.score.serviceId)?.administratively_down === true;
    // A service taken down refuses scores; the check's run is still closed below.
    const up = inputs.filter((i) => !isDown(i));
    const written = await insertScoreBatch(
      trx,
      up.map((i) => i.score),
      up.map((i) => i.runId),
    );
    const scored = await matchBatch(
      trx,
      up.map((i) => i.score),
      written,
    );
    // A replayed score's error was recorded with it, in the call that wrote it.
    const toReport = up.flatMap((input, k) => {
      const s = scored[k]!;
      return input.error === undefined || s.replayed
        ? []
        : [{ k, error: { scoreId: s.score.id, ...input.error } }];
    });
    const errors = await insertServiceErrors(
      trx,
      toReport.map((r) => r.error),
    );
    const errorOf = new Map(toReport.map((r, n) => [r.k, errors[n]]));
    const closed = await closeCheckRuns(trx, runIds, this.tracing.enabled);
    const scoreOf = new Map(
      up.map((input, k) => [input, { ...scored[k]!, error: errorOf.get(k) }]),
    );
    const closedRuns = new Map(closed.map((c) => [c.run.id, c.run]));
    const reported = new Set<number>();
    const results = inputs.map((input): Finished => {
      const s = scoreOf.get(input);
      // A run named twice is reported with its first entry.
      const run = reported.has(input.runId) ? undefined : closedRuns.get(input.runId);
      reported.add(input.runId);
      return {
        serviceId: input.score.serviceId,
        score: s?.score,
        replayed: s?.replayed ?? false,
        error: s?.error,
        closed: run,
        down: isDown(input),
      };
    });
    return { results, closed };
  }

  /** NOT_FOUND naming the first unknown service. */
  private async missing(ids: number[]): Promise<Error> {
    const known = new Set(
      (await this.db.selectFrom('service').select('id').where('id', 'in', ids).execute()).map(
        (s) => s.id,
      ),
    );
    const i = ids.findIndex((id) => !known.has(id));
    // Every one exists by now (created meanwhile): the caller may simply try again.
    if (i < 0) return new Error('services changed while their checks were started');
    return new NotFoundError(`service_ids[${i}]: service`, ids[i]!);
  }
}
