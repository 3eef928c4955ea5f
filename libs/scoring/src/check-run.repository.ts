import { PreparedStatement, type CheckRunRow, type SqlClient } from '@checkwire/db';

interface RunResultRow extends CheckRunRow {
  service_exists: boolean;
  created: boolean | null;
}

export interface OpenedRun {
  run: CheckRunRow;
  /** False when the run was already open and is returned as it was. */
  created: boolean;
}

function runOf(row: RunResultRow): CheckRunRow {
  return {
    id: row.id,
    service_id: row.service_id,
    started_at: row.started_at,
    finished_at: row.finished_at,
  };
}

const OPEN_RUN = new PreparedStatement<[serviceId: number], RunResultRow>(
  'checkwire_open_check_run',
  `WITH svc AS (SELECT id FROM service WHERE id = $1),
   opened AS (
     INSERT INTO check_run (service_id) SELECT id FROM svc
     ON CONFLICT (service_id) WHERE finished_at IS NULL DO NOTHING
     RETURNING id, service_id, started_at, finished_at
   ),
   flag AS (
     UPDATE service SET in_progress = true
     WHERE id = $1 AND NOT in_progress AND EXISTS (SELECT 1 FROM opened)
   )
   SELECT EXISTS (SELECT 1 FROM svc) AS service_exists, r.*
   FROM (SELECT 1) AS one LEFT JOIN (
     SELECT true AS created, id, service_id, started_at, finished_at FROM opened
     UNION ALL
     SELECT false, id, service_id, started_at, finished_at
     FROM check_run WHERE service_id = $1 AND finished_at IS NULL
   ) AS r ON true`,
);

/**
 * Opens a check run and raises in_progress, in one statement; returns the open run if there is
 * one already. undefined: no such service.
 */
export async function openCheckRun(
  client: SqlClient,
  serviceId: number,
): Promise<OpenedRun | undefined> {
  // A run opened by a concurrent call after this statement's snapshot is invisible to it:
  // the statement then finds neither a new nor an old run, and simply runs again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const [row] = await OPEN_RUN.rows(client, serviceId);
    if (row === undefined || !row.service_exists) return undefined;
    if (row.created !== null) return { run: runOf(row), created: row.created };
  }
  throw new Error(`could not open or find a check run for service ${serviceId} after 5 attempts`);
}

export interface ClosedRun {
  serviceExists: boolean;
  /** The run that was closed; undefined when none was open. */
  run: CheckRunRow | undefined;
}

const CLOSE_RUN = new PreparedStatement<[serviceId: number], RunResultRow>(
  'checkwire_close_check_run',
  `WITH closed AS (
     UPDATE check_run SET finished_at = greatest(now(), started_at)
     WHERE service_id = $1 AND finished_at IS NULL
     RETURNING id, service_id, started_at, finished_at
   ),
   flag AS (
     UPDATE service SET in_progress = false
     WHERE id = $1 AND in_progress AND EXISTS (SELECT 1 FROM closed)
   )
   SELECT EXISTS (SELECT 1 FROM service WHERE id = $1) AS service_exists,
          NULL::boolean AS created, closed.*
   FROM (SELECT 1) AS one LEFT JOIN closed ON true`,
);

/** Closes the open run (if any) and clears in_progress, in one statement. */
export async function closeCheckRun(client: SqlClient, serviceId: number): Promise<ClosedRun> {
  const [row] = await CLOSE_RUN.rows(client, serviceId);
  return {
    serviceExists: row?.service_exists === true,
    run: row?.id === null || row === undefined ? undefined : runOf(row),
  };
}
