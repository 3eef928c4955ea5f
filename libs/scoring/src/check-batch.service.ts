import { ROOT_CONTEXT } from '@opentelemetry/api';
import type {
  CheckRunRow,
  Db,
  ScoreRow,
  ServiceErrorKindName,
  ServiceErrorRow,
  SqlClient,
} from '@checkwire/db';
import { InvalidArgumentError, NotFoundError, nonEmpty, requireId, text } from '@checkwire/errors';
import {
  closeCheckRuns,
  insertServiceErrors,
  openCheckRuns,
  type BatchOpened,
} from './check-batch.repository.js';
import type { CheckTracing } from './check-tracing.js';
import { insertScoreBatch, lockServicesForScoring, type ScoreInput } from './score.repository.js';
import { matchBatch } from './score-batch.js';
import { MAX_BATCH_ENTRIES, MAX_DETAIL, MAX_ERROR_MSG, validScore } from './score-input.js';
import type { StatusNotifier } from './status-notifier.js';

export interface FinishRequest {
  serviceId: number;
  result: number;
  errorMsg?: string | undefined;
  requestId: string;
  error?: { kind: ServiceErrorKindName | undefined; message: string; detail: string } | undefined;
}

export interface Started {
  serviceId: number;
  /** undefined: the service is administratively down. */
  run: CheckRunRow | undefined;
  alreadyOpen: boolean;
  traceId: string | undefined;
}

export interface Finished {
  serviceId: number;
  /** undefined: the service is administratively down, nothing was scored. */
  score: ScoreRow | undefined;
  replayed: boolean;
  error: ServiceErrorRow | undefined;
  closed: CheckRunRow | undefined;
}

function batchSize(field: string, n: number): void {
  if (n === 0 || n > MAX_BATCH_ENTRIES) {
    throw new InvalidArgumentError(field, `must hold 1..${MAX_BATCH_ENTRIES} items, got ${n}`);
  }
}

interface ValidFinish {
  score: ScoreInput & { requestId: string };
  error: { kind: ServiceErrorKindName; message: string; detail: string } | undefined;
}

function validFinish(i: number, r: FinishRequest): ValidFinish {
  const at = `entries[${i}].`;
  const score = validScore(at, r);
  if (score.requestId === null) {
    throw new InvalidArgumentError(`${at}request_id`, 'is required (it makes a retry safe)');
  }
  let error: ValidFinish['error'];
  if (r.error !== undefined) {
    if (r.error.kind === undefined) {
      throw new InvalidArgumentError(
        `${at}error.kind`,
        'must be one of TIMEOUT, CONTENT, CREDENTIALS, CONNECTION, OTHER',
      );
    }
    error = {
      kind: r.error.kind,
      message: nonEmpty(`${at}error.message`, r.error.message, MAX_ERROR_MSG),
      detail: text(`${at}error.detail`, r.error.detail, MAX_DETAIL),
    };
  }
  return { score: { ...score, requestId: score.requestId }, error };
}

/**
 * The four actions for many checks at once, for check runners: start (in progress) in one
 * statement, and finish (score, error, done) in one transaction. Every check keeps its own run,
 * its own check span and its own trace.
 */
export class CheckBatches {
  constructor(
    private readonly db: Db,
    private readonly sqlClient: SqlClient,
    private readonly notifier: StatusNotifier,
    private readonly tracing: CheckTracing,
  ) {}

  async start(serviceIds: number[]): Promise<Started[]> {
    batchSize('service_ids', serviceIds.length);
    serviceIds.forEach((id, i) => requireId(`service_ids[${i}]`, id));
    const distinct = [...new Set(serviceIds)];
    const callStart = new Date();
    const opened = await openCheckRuns(
      this.sqlClient,
      // A batch has no single caller to hang its checks under: each check is a trace of its own.
      distinct.map((serviceId) => ({ serviceId, trace: this.tracing.newIds(ROOT_CONTEXT) })),
    );
    if (opened === undefined) throw await this.missing(serviceIds);
    const byService = new Map<number, BatchOpened>(opened.map((o) => [o.serviceId, o]));
    for (const o of opened) {
      if (o.state === 'down') continue;
      this.tracing.remember(o.run);
      this.tracing.recordChild(o.run, 'checkwire.StartServiceChecks', callStart);
    }
    this.notifier.changed(...opened.filter((o) => o.state === 'opened').map((o) => o.serviceId));
    return serviceIds.map((serviceId) => {
      const o = byService.get(serviceId)!;
      const run = o.state === 'down' ? undefined : o.run;
      return {
        serviceId,
        run,
        alreadyOpen: o.state === 'already-open',
        traceId: this.tracing.traceIdOf(run),
      };
    });
  }

  /** All or nothing: an unknown service or a bad entry writes nothing. */
  async finish(requests: FinishRequest[]): Promise<Finished[]> {
    batchSize('entries', requests.length);
    const inputs = requests.map((r, i) => validFinish(i, r));
    const ids = [...new Set(inputs.map((i) => i.score.serviceId))];
    const callStart = new Date();
    const { results, closed } = await this.db.transaction().execute(async (trx) => {
      const services = new Map((await lockServicesForScoring(trx, ids)).map((s) => [s.id, s]));
      inputs.forEach((input, i) => {
        if (!services.has(input.score.serviceId)) {
          throw new NotFoundError(`entries[${i}].service_id: service`, input.score.serviceId);
        }
      });
      // A service taken down refuses scores; its run is still closed below.
      const up = inputs.filter(
        (i) => services.get(i.score.serviceId)?.administratively_down !== true,
      );
      const scored = await matchBatch(
        trx,
        up.map((i) => i.score),
        await insertScoreBatch(
          trx,
          up.map((i) => i.score),
        ),
      );
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
      const closedRuns = await closeCheckRuns(trx, ids);
      const scoreOf = new Map(
        up.map((input, k) => [input, { ...scored[k]!, error: errorOf.get(k) }]),
      );
      const closedOf = new Map(closedRuns.map((c) => [c.run.service_id, c.run]));
      const claimed = new Set<number>();
      const results = inputs.map((input): Finished => {
        const s = scoreOf.get(input);
        const serviceId = input.score.serviceId;
        // A service listed twice: its run is reported with the first entry.
        const run = claimed.has(serviceId) ? undefined : closedOf.get(serviceId);
        claimed.add(serviceId);
        return {
          serviceId,
          score: s?.score,
          replayed: s?.replayed ?? false,
          error: s?.error,
          closed: run,
        };
      });
      return { results, closed: closedRuns };
    });
    const closedIds = new Set(closed.map((c) => c.run.service_id));
    for (const id of ids) if (!closedIds.has(id)) this.tracing.forget(id);
    for (const c of closed) {
      this.tracing.recordChild(c.run, 'checkwire.FinishServiceChecks', callStart);
      await this.tracing.closed(c.run, c.details);
    }
    this.notifier.changed(
      ...new Set([
        ...results.filter((r) => r.score !== undefined && !r.replayed).map((r) => r.serviceId),
        ...closedIds,
      ]),
    );
    return results;
  }

  /** NOT_FOUND naming the first unknown service. */
  private async missing(ids: number[]): Promise<NotFoundError> {
    const known = new Set(
      (await this.db.selectFrom('service').select('id').where('id', 'in', ids).execute()).map(
        (s) => s.id,
      ),
    );
    const i = ids.findIndex((id) => !known.has(id));
    return new NotFoundError(`service_ids[${i}]: service`, ids[i]!);
  }
}
