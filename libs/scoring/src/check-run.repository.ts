import { PreparedStatement, type CheckRunRow, type SqlClient } from '@checkwire/db';

export interface RunResultRow extends CheckRunRow {
  service_exists: boolean;
  created: boolean | null;
}

export interface OpenedRun {
  run: CheckRunRow;
  /** False when the run was already open and is returned as it was. */
  created: boolean;
}

export const RUN_COLUMNS =
  'id, service_id, started_at, finished_at, trace_id, span_id, parent_span_id, trace_sampled, abandoned';

export function runOf(row: CheckRunRow): CheckRunRow {
  return {
    id: row.id,
    service_id: row.service_id,
    started_at: row.started_at,
    finished_at: row.finished_at,
    trace_id: row.trace_id,
    span_id: row.span_id,
    parent_span_id: row.parent_span_id,
    trace_sampled: row.trace_sampled,
    abandoned: row.abandoned,
  };
}

/** Columns of RunSpanDetails, for a run aliased `run` joined to its service `s` and `last` score. */
export const SPAN_DETAILS_COLUMNS = (run: string) =>
  `s.team_id, s.subtype, s.external, last.result, last.capped,
   coalesce((SELECT array_agg(e.kind ORDER BY e.id) FROM service_error e
             JOIN score sc ON sc.id = e.score_id WHERE sc.check_run_id = ${run}.id), '{}') AS error_kinds`;

export const LAST_SCORE_JOIN = (run: string) =>
  `LEFT JOIN LATERAL (
     SELECT result, capped FROM score WHERE check_run_id = ${run}.id ORDER BY id DESC LIMIT 1
   ) AS last ON true`;

export function detailsOf(row: RunSpanDetails): RunSpanDetails {
  return {
    team_id: row.team_id,
    subtype: row.subtype,
    external: row.external,
    result: row.result,
    capped: row.capped,
    error_kinds: row.error_kinds,
  };
}

/** The check span identity a new run is given. */
export interface RunTraceIds {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  sampled: boolean;
}

export interface ClosedRun {
  serviceExists: boolean;
  /** The run that was closed; undefined when none was open. */
  run: CheckRunRow | undefined;
  /** What its check span reports; only when asked for. */
  details: RunSpanDetails | undefined;
}

/** What a check span says about its check, read when the span is recorded. */
export interface RunSpanDetails {
  team_id: number;
  subtype: string;
  external: boolean;
  /** The run's last score, if it got one. */
  result: number | null;
  capped: boolean | null;
  /** Kinds of the errors reported against the run's scores, oldest first. */
  error_kinds: string[];
}

const RUN_SPAN_DETAILS = new PreparedStatement<[runId: number], RunSpanDetails>(
  'checkwire_run_span_details',
  `SELECT ${SPAN_DETAILS_COLUMNS('r')}
   FROM check_run r
   JOIN service s ON s.id = r.service_id
   ${LAST_SCORE_JOIN('r')}
   WHERE r.id = $1`,
);

export async function runSpanDetails(
  client: SqlClient,
  runId: number,
): Promise<RunSpanDetails | undefined> {
  const [row] = await RUN_SPAN_DETAILS.rows(client, runId);
  return row === undefined ? undefined : detailsOf(row);
}

const OPEN_RUN_OF_SERVICE = new PreparedStatement<[serviceId: number], CheckRunRow>(
  'checkwire_open_run_of_service',
  `SELECT ${RUN_COLUMNS} FROM check_run WHERE service_id = $1 AND finished_at IS NULL`,
);

/** The open run of a service, if any (to record work inside its check span). */
export async function findOpenRun(
  client: SqlClient,
  serviceId: number,
): Promise<CheckRunRow | undefined> {
  const [row] = await OPEN_RUN_OF_SERVICE.rows(client, serviceId);
  return row;
}

const RUN_OF_SCORE = new PreparedStatement<[scoreId: number], CheckRunRow>(
  'checkwire_run_of_score',
  `SELECT ${RUN_COLUMNS.split(', ')
    .map((c) => `r.${c}`)
    .join(', ')}
   FROM score s JOIN check_run r ON r.id = s.check_run_id WHERE s.id = $1`,
);

/** The run a score was written in, if it was written during one. */
export async function findRunOfScore(
  client: SqlClient,
  scoreId: number,
): Promise<CheckRunRow | undefined> {
  const [row] = await RUN_OF_SCORE.rows(client, scoreId);
  return row;
}

const CLOSE_ABANDONED = new PreparedStatement<[olderThanMs: number, limit: number], CheckRunRow>(
  'checkwire_close_abandoned_runs',
  `WITH stale AS (
     SELECT id FROM check_run
     WHERE finished_at IS NULL AND started_at < now() - $1 * interval '1 millisecond'
     ORDER BY started_at LIMIT $2
     FOR UPDATE SKIP LOCKED
   ),
   closed AS (
     UPDATE check_run r SET finished_at = greatest(now(), r.started_at), abandoned = true
     FROM stale WHERE r.id = stale.id
     RETURNING ${RUN_COLUMNS.split(', ')
       .map((c) => `r.${c}`)
       .join(', ')}
   ),
   flag AS (
     UPDATE service SET in_progress = false
     WHERE id IN (SELECT service_id FROM closed) AND in_progress
   )
   SELECT * FROM closed`,
);

/**
 * Closes runs left open longer than `olderThanMs` (their check never said done), at most
 * `limit` at a time. Each is closed by exactly one caller, whichever replica it is.
 */
export async function closeAbandonedRuns(
  client: SqlClient,
  olderThanMs: number,
  limit: number,
): Promise<CheckRunRow[]> {
  return CLOSE_ABANDONED.rows(client, olderThanMs, limit);
}
