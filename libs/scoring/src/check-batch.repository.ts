import { sql } from 'kysely';
import {
  PreparedStatement,
  type CheckRunRow,
  type Db,
  type ServiceErrorKindName,
  type ServiceErrorRow,
  type SqlClient,
} from '@checkwire/db';
import {
  detailsOf,
  LAST_SCORE_JOIN,
  RUN_COLUMNS,
  runOf,
  SPAN_DETAILS_COLUMNS,
  type RunSpanDetails,
  type RunTraceIds,
} from './check-run.repository.js';

/** One service of a batch open: its open run (new or not), and whether it is down. */
export interface BatchOpened {
  serviceId: number;
  /** undefined: the service is down and had no run open. */
  run: CheckRunRow | undefined;
  /** True when this call opened the run. */
  created: boolean;
  /** Administratively down: no run is opened for it, it should not be checked. */
  down: boolean;
}

interface OpenRunsRow extends Partial<CheckRunRow> {
  svc_id: number;
  administratively_down: boolean;
  created: boolean | null;
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
  'checkwire_open_check_runs',
  `WITH input AS (
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bool[])
       AS t(service_id, trace_id, span_id, parent_span_id, sampled)
   ),
   svc AS (SELECT id, administratively_down FROM service WHERE id IN (SELECT service_id FROM input)),
   opened AS (
     INSERT INTO check_run (service_id, trace_id, span_id, parent_span_id, trace_sampled)
     SELECT i.service_id, i.trace_id, i.span_id, i.parent_span_id, i.sampled
     FROM input i JOIN svc ON svc.id = i.service_id
     -- All or nothing: an unknown service opens no run at all.
     WHERE NOT svc.administratively_down
       AND (SELECT count(*) FROM svc) = (SELECT count(*) FROM input)
     ORDER BY i.service_id
     ON CONFLICT (service_id) WHERE finished_at IS NULL DO NOTHING
     RETURNING ${RUN_COLUMNS}
   ),
   flag AS (
     UPDATE service SET in_progress = true
     WHERE id IN (SELECT service_id FROM opened) AND NOT in_progress
   )
   SELECT svc.id AS svc_id, svc.administratively_down, r.*
   FROM svc LEFT JOIN (
     SELECT true AS created, ${RUN_COLUMNS} FROM opened
     UNION ALL
     -- A run closed by a transaction that committed after this statement's snapshot still looks
     -- open here: where this statement opened one, the old one is not reported.
     SELECT false, ${RUN_COLUMNS} FROM check_run
     WHERE service_id IN (SELECT id FROM svc) AND finished_at IS NULL
       AND service_id NOT IN (SELECT service_id FROM opened)
   ) AS r ON r.service_id = svc.id`,
);

/**
 * Opens a run for each service that is not down (or finds the one open), in one statement.
 * `ids` must be distinct. undefined: some service does not exist, and nothing was written.
 */
export async function openCheckRuns(
  client: SqlClient,
  ids: { serviceId: number; trace: RunTraceIds }[],
): Promise<BatchOpened[] | undefined> {
  const found = new Map<number, BatchOpened>();
  let pending = ids;
  // As in openCheckRun: a run opened concurrently after the snapshot is neither inserted nor
  // seen; those services simply go again.
  for (let attempt = 0; attempt < 5 && pending.length > 0; attempt++) {
    const rows = await OPEN_RUNS.rows(
      client,
      pending.map((p) => p.serviceId),
      pending.map((p) => p.trace.traceId),
      pending.map((p) => p.trace.spanId),
      pending.map((p) => p.trace.parentSpanId),
      pending.map((p) => p.trace.sampled),
    );
    if (rows.length < pending.length) return undefined;
    for (const row of rows) {
      const serviceId = Number(row.svc_id);
      const down = row.administratively_down;
      if (row.created !== null) {
        found.set(serviceId, {
          serviceId,
          run: runOf(row as CheckRunRow),
          created: row.created,
          down,
        });
      } else if (down) {
        found.set(serviceId, { serviceId, run: undefined, created: false, down });
      }
    }
    pending = pending.filter((p) => !found.has(p.serviceId));
  }
  if (pending.length > 0) {
    const ids = pending.map((p) => p.serviceId).join(', ');
    throw new Error(`could not open or find check runs for services ${ids}`);
  }
  return ids.map((i) => found.get(i.serviceId)!);
}

export interface BatchErrorInput {
  scoreId: number;
  kind: ServiceErrorKindName;
  message: string;
  detail: string;
}

/** Records errors against scores written in the same transaction, in input order. */
export async function insertServiceErrors(
  trx: Db,
  errors: BatchErrorInput[],
): Promise<ServiceErrorRow[]> {
  if (errors.length === 0) return [];
  const { rows } = await sql<ServiceErrorRow>`
    INSERT INTO service_error (score_id, service_id, kind, message, detail)
    SELECT s.id, s.service_id, e.kind, e.message, e.detail
    FROM unnest(
      ${errors.map((e) => e.scoreId)}::bigint[],
      ${errors.map((e) => e.kind)}::text[],
      ${errors.map((e) => e.message)}::text[],
      ${errors.map((e) => e.detail)}::text[]
    ) WITH ORDINALITY AS e(score_id, kind, message, detail, ord)
    JOIN score s ON s.id = e.score_id
    ORDER BY e.ord
    RETURNING *
  `.execute(trx);
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * Locks these runs, in id order, for the caller's transaction, and says whose each is: runs
 * before services, in the order the single done and the abandoned-run sweeper take them, so a
 * batch never deadlocks with them. A run that does not exist is simply absent.
 */
export async function lockRuns(trx: Db, runIds: number[]): Promise<Map<number, number>> {
  if (runIds.length === 0) return new Map();
  const { rows } = await sql<{ id: number; service_id: number }>`
    SELECT id, service_id FROM check_run WHERE id = ANY(${runIds}::bigint[])
    ORDER BY id FOR NO KEY UPDATE
  `.execute(trx);
  return new Map(rows.map((r) => [Number(r.id), Number(r.service_id)]));
}

/** A run closed by a batch, with what its check span reports (when asked for). */
export interface BatchClosed {
  run: CheckRunRow;
  details: RunSpanDetails | undefined;
}

/**
 * Closes these runs, those still open, and clears their services' in_progress flags, in one
 * statement; with `withDetails`, also reads what each check span reports (the scores and errors
 * written earlier in the transaction included).
 */
export async function closeCheckRuns(
  trx: Db,
  runIds: number[],
  withDetails: boolean,
): Promise<BatchClosed[]> {
  if (runIds.length === 0) return [];
  const closed = sql`
    WITH closed AS (
      UPDATE check_run SET finished_at = greatest(now(), started_at)
      WHERE id = ANY(${runIds}::bigint[]) AND finished_at IS NULL
      RETURNING ${sql.raw(RUN_COLUMNS)}
    ),
    flag AS (
      UPDATE service SET in_progress = false
      WHERE id IN (SELECT service_id FROM closed) AND in_progress
    )`;
  if (!withDetails) {
    const { rows } = await sql<CheckRunRow>`${closed} SELECT * FROM closed`.execute(trx);
    return rows.map((row) => ({ run: runOf(row), details: undefined }));
  }
  const { rows } = await sql<CheckRunRow & RunSpanDetails>`
    ${closed}
    SELECT closed.*, ${sql.raw(SPAN_DETAILS_COLUMNS('closed'))}
    FROM closed
    JOIN service s ON s.id = closed.service_id
    ${sql.raw(LAST_SCORE_JOIN('closed'))}
  `.execute(trx);
  return rows.map((row) => ({ run: runOf(row), details: detailsOf(row) }));
}
