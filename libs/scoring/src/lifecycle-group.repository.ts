import { PreparedStatement, retryOnConflict, type ScoreRow, type SqlClient } from '@checkwire/db';
import {
  detailsOf,
  LAST_SCORE_JOIN,
  RUN_COLUMNS,
  runOf,
  SPAN_DETAILS_COLUMNS,
  type ClosedRun,
  type OpenedRun,
  type RunResultRow,
  type RunSpanDetails,
  type RunTraceIds,
} from './check-run.repository.js';
import type { ScoreInput } from './score.repository.js';

/*
 * The single lifecycle statements (check-run.repository.ts, score.repository.ts) for a group of
 * calls at once (group-commit.ts): one statement, one commit, one outcome per item, each the
 * outcome the single statement would have given. A group names each service once (the rows are
 * matched to items by service). Nothing is read after the commit: what a caller still needs (a
 * replayed score, another try) it asks for itself, so a failure then is its own. A statement
 * PostgreSQL aborts for a deadlock with a concurrent writer wrote nothing and is run again.
 */

interface OpenRunsRow extends Partial<RunResultRow> {
  service_exists: boolean;
}

const OPEN_RUNS = new PreparedStatement<
  [
    serviceIds: number[],
    traceIds: string[],
    spanIds: string[],
    parentSpanIds: (string | null)[],
    sampled: boolean[],
  ],
  OpenRunsRow
>(
  'checkwire_open_check_runs_grouped',
  `WITH input AS (
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bool[])
       WITH ORDINALITY AS t(service_id, trace_id, span_id, parent_span_id, sampled, ord)
   ),
   svc AS (SELECT id FROM service WHERE id IN (SELECT service_id FROM input)),
   opened AS (
     INSERT INTO check_run (service_id, trace_id, span_id, parent_span_id, trace_sampled)
     SELECT i.service_id, i.trace_id, i.span_id, i.parent_span_id, i.sampled
     FROM input i JOIN svc ON svc.id = i.service_id
     ORDER BY i.service_id
     ON CONFLICT (service_id) WHERE finished_at IS NULL DO NOTHING
     RETURNING ${RUN_COLUMNS}
   ),
   flag AS (
     UPDATE service SET in_progress = true
     WHERE id IN (SELECT service_id FROM opened) AND NOT in_progress
   )
   SELECT svc.id IS NOT NULL AS service_exists, r.*
   FROM input i
   LEFT JOIN svc ON svc.id = i.service_id
   LEFT JOIN (
     SELECT true AS created, ${RUN_COLUMNS} FROM opened
     UNION ALL
     SELECT false, ${RUN_COLUMNS} FROM check_run
     WHERE service_id IN (SELECT id FROM svc) AND finished_at IS NULL
       AND service_id NOT IN (SELECT service_id FROM opened)
   ) AS r ON r.service_id = i.service_id
   ORDER BY i.ord`,
);

/**
 * What one in-progress call's statement found: its run (new, or the one already open), no such
 * service, or neither (a run opened by a concurrent call after the statement's snapshot is
 * neither inserted nor seen): the call goes again.
 */
export type OpenOutcome = OpenedRun | 'no-service' | 'again';

/** openCheckRun for many services (distinct), one statement; nothing is read after its commit. */
export async function openCheckRunsGrouped(
  client: SqlClient,
  items: { serviceId: number; ids: RunTraceIds }[],
): Promise<OpenOutcome[]> {
  const rows = await retryOnConflict(() =>
    OPEN_RUNS.rows(
      client,
      items.map((g) => g.serviceId),
      items.map((g) => g.ids.traceId),
      items.map((g) => g.ids.spanId),
      items.map((g) => g.ids.parentSpanId),
      items.map((g) => g.ids.sampled),
    ),
  );
  return items.map((_, k): OpenOutcome => {
    const row = rows[k];
    if (row === undefined || !row.service_exists) return 'no-service';
    if (row.created === null || row.created === undefined) return 'again';
    return { run: runOf(row as RunResultRow), created: row.created };
  });
}

interface InsertScoresRow extends Partial<ScoreRow> {
  service_exists: boolean;
  administratively_down: boolean | null;
  down_reason: string | null;
}

const INSERT_SCORES = new PreparedStatement<
  [
    serviceIds: number[],
    results: number[],
    errorMsgs: (string | null)[],
    requestIds: (string | null)[],
  ],
  InsertScoresRow
>(
  'checkwire_insert_scores_grouped',
  `WITH input AS (
     SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[])
       WITH ORDINALITY AS t(service_id, result, error_msg, request_id, ord)
   ),
   -- The services are locked in id order, as the batches lock them (lockServicesForScoring),
   -- before any is updated: concurrent groups and batches over the same services queue up
   -- instead of deadlocking.
   svc AS MATERIALIZED (
     SELECT id, administratively_down, down_reason, score_cap FROM service
     WHERE id IN (SELECT service_id FROM input)
     ORDER BY id FOR NO KEY UPDATE
   ),
   ins AS (
     INSERT INTO score (service_id, check_run_id, result, submitted_result, capped, error_msg, request_id)
     SELECT i.service_id,
            (SELECT id FROM check_run WHERE service_id = i.service_id AND finished_at IS NULL),
            CASE WHEN i.result > svc.score_cap THEN svc.score_cap ELSE i.result END,
            i.result,
            coalesce(i.result > svc.score_cap, false),
            i.error_msg, i.request_id
     FROM input i JOIN svc ON svc.id = i.service_id
     WHERE NOT svc.administratively_down
     ORDER BY i.ord
     ON CONFLICT (service_id, request_id) DO NOTHING
     RETURNING *
   ),
   touched AS (
     UPDATE service
     SET last_scan = ins.result, last_scan_time = ins.created_at, last_scan_error = ins.error_msg
     FROM ins WHERE service.id = ins.service_id
   )
   SELECT svc.id IS NOT NULL AS service_exists, svc.administratively_down, svc.down_reason, ins.*
   FROM input i
   LEFT JOIN svc ON svc.id = i.service_id
   LEFT JOIN ins ON ins.service_id = i.service_id
   ORDER BY i.ord`,
);

/**
 * What one score's statement did: wrote it, found no such service, or wrote nothing (a keyed
 * retry, or a down service: the caller looks up the first score, after the commit).
 */
export type ScoreWriteOutcome =
  | { kind: 'inserted'; score: ScoreRow }
  | { kind: 'no-service' }
  | { kind: 'not-written'; down: boolean; reason: string };

/** insertScore for many scores of distinct services, one statement; nothing read after it. */
export async function insertScoresGrouped(
  client: SqlClient,
  inputs: ScoreInput[],
): Promise<ScoreWriteOutcome[]> {
  const rows = await retryOnConflict(() =>
    INSERT_SCORES.rows(
      client,
      inputs.map((i) => i.serviceId),
      inputs.map((i) => i.result),
      inputs.map((i) => i.errorMsg),
      inputs.map((i) => i.requestId),
    ),
  );
  return inputs.map((_, k): ScoreWriteOutcome => {
    const row = rows[k];
    if (row === undefined || !row.service_exists) return { kind: 'no-service' };
    const { service_exists: _e, administratively_down: down, down_reason: reason, ...score } = row;
    if (score.id !== undefined && score.id !== null) {
      return { kind: 'inserted', score: score as ScoreRow };
    }
    return { kind: 'not-written', down: down === true, reason: reason ?? '' };
  });
}

const CLOSE_RUNS_SQL = `WITH input AS (
     SELECT * FROM unnest($1::bigint[]) WITH ORDINALITY AS t(service_id, ord)
   ),
   closed AS (
     UPDATE check_run SET finished_at = greatest(now(), started_at)
     WHERE service_id IN (SELECT service_id FROM input) AND finished_at IS NULL
     RETURNING ${RUN_COLUMNS}
   ),
   flag AS (
     UPDATE service SET in_progress = false
     WHERE id IN (SELECT service_id FROM closed) AND in_progress
   )
   SELECT EXISTS (SELECT 1 FROM service WHERE id = i.service_id) AS service_exists,
          NULL::boolean AS created, closed.*`;

const CLOSE_RUNS = new PreparedStatement<[serviceIds: number[]], RunResultRow>(
  'checkwire_close_check_runs_grouped',
  `${CLOSE_RUNS_SQL}
   FROM input i LEFT JOIN closed ON closed.service_id = i.service_id
   ORDER BY i.ord`,
);

const CLOSE_RUNS_WITH_DETAILS = new PreparedStatement<
  [serviceIds: number[]],
  RunResultRow & Partial<RunSpanDetails>
>(
  'checkwire_close_check_runs_grouped_with_details',
  `${CLOSE_RUNS_SQL}, ${SPAN_DETAILS_COLUMNS('closed')}
   FROM input i LEFT JOIN closed ON closed.service_id = i.service_id
   LEFT JOIN service s ON s.id = closed.service_id
   ${LAST_SCORE_JOIN('closed')}
   ORDER BY i.ord`,
);

/** closeCheckRun for many services (distinct). */
export async function closeCheckRunsGrouped(
  client: SqlClient,
  serviceIds: number[],
  withDetails: boolean,
): Promise<ClosedRun[]> {
  const rows: (RunResultRow & Partial<RunSpanDetails>)[] = await retryOnConflict(() =>
    (withDetails ? CLOSE_RUNS_WITH_DETAILS : CLOSE_RUNS).rows(client, serviceIds),
  );
  return serviceIds.map((_, k) => {
    const row = rows[k];
    const run = row?.id === null || row === undefined ? undefined : runOf(row);
    const details =
      run !== undefined && row?.team_id !== undefined && row.team_id !== null
        ? detailsOf(row as RunSpanDetails)
        : undefined;
    return { serviceExists: row?.service_exists === true, run, details };
  });
}
