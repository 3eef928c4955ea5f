import { sql } from 'kysely';
import type { CheckTaskRow, Db } from '@checkwire/db';

// Presence is kept in the database's time (statement_timestamp()), so replicas whose clocks differ
// agree on who is live; due times and leases stay in the scheduler's clock, as in the queue.

/** The runner claimed checks just now, for these pools ('' is the default pool). */
export async function recordPresence(
  db: Db,
  runner: string,
  pools: readonly string[],
): Promise<void> {
  await sql`
    INSERT INTO runner_presence (runner_id, pools, last_seen)
    VALUES (${runner}, ${[...pools]}::text[], statement_timestamp())
    ON CONFLICT (runner_id) DO UPDATE
      SET pools = EXCLUDED.pools,
          last_seen = GREATEST(runner_presence.last_seen, EXCLUDED.last_seen)
  `.execute(db);
}

export interface UnservedQuery {
  /** The scheduler's clock. */
  now: Date;
  /** How long a check must have waited, and how recent a runner's claim must be to count. */
  windowMs: number;
  maxAttempts: number;
  limit: number;
}

/**
 * Checks nobody can run, locked for the caller's transaction: not finished, attempts left, no
 * live lease, queued and due (or released) for the whole window; no runner serving their pool
 * claimed anything in the window, and no check of their pool is leased (a runner whose slots are
 * all busy claims again only as its checks end). Only while some runner did claim in the window:
 * when none did, runners cannot reach the scheduler (or none runs), which is Checkwire's trouble,
 * not the service's.
 */
export async function unservedTasks(trx: Db, q: UnservedQuery): Promise<CheckTaskRow[]> {
  const dueBefore = new Date(q.now.getTime() - q.windowMs);
  const window = `${q.windowMs} milliseconds`;
  const { rows } = await sql<CheckTaskRow>`
    SELECT t.* FROM check_task t
    WHERE t.finished_at IS NULL AND t.attempts < ${q.maxAttempts}
      AND t.run_after <= ${dueBefore}
      AND (t.locked_until IS NULL OR t.locked_until <= ${dueBefore})
      AND t.queued_at <= statement_timestamp() - ${window}::interval
      AND EXISTS (
        SELECT 1 FROM runner_presence a WHERE a.last_seen >= statement_timestamp() - ${window}::interval
      )
      AND NOT EXISTS (
        SELECT 1 FROM runner_presence r
        WHERE r.last_seen >= statement_timestamp() - ${window}::interval AND t.pool = ANY (r.pools)
      )
      AND NOT EXISTS (
        SELECT 1 FROM check_task l
        WHERE l.pool = t.pool AND l.finished_at IS NULL AND l.locked_until > ${q.now}
      )
    ORDER BY t.id
    LIMIT ${q.limit}
    FOR UPDATE OF t SKIP LOCKED
  `.execute(trx);
  return rows;
}

/**
 * Checks due for the window while no runner at all claimed anything in it (0 while any did):
 * nobody can run anything, which the scheduler says in its log rather than score.
 */
export async function waitingWithoutRunners(
  db: Db,
  q: Omit<UnservedQuery, 'limit'>,
): Promise<number> {
  const dueBefore = new Date(q.now.getTime() - q.windowMs);
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM check_task t
    WHERE t.finished_at IS NULL AND t.attempts < ${q.maxAttempts} AND t.run_after <= ${dueBefore}
      AND (t.locked_until IS NULL OR t.locked_until <= ${dueBefore})
      AND NOT EXISTS (
        SELECT 1 FROM runner_presence a
        WHERE a.last_seen >= statement_timestamp() - ${`${q.windowMs} milliseconds`}::interval
      )
  `.execute(db);
  return rows[0]?.n ?? 0;
}

/** When a runner serving each of these pools last claimed checks (absent: never). */
export async function lastSeenByPool(db: Db, pools: readonly string[]): Promise<Map<string, Date>> {
  const { rows } = await sql<{ pool: string; last_seen: Date }>`
    SELECT p.pool, max(r.last_seen) AS last_seen
    FROM runner_presence r CROSS JOIN LATERAL unnest(r.pools) AS p(pool)
    WHERE p.pool = ANY (${[...pools]}::text[])
    GROUP BY p.pool
  `.execute(db);
  return new Map(rows.map((r) => [r.pool, r.last_seen]));
}

/** Forgets runners not seen for `ms` (their ids are per process: they pile up). */
export async function prunePresence(db: Db, ms: number): Promise<number> {
  const { rows } = await sql<{ runner_id: string }>`
    DELETE FROM runner_presence
    WHERE last_seen < statement_timestamp() - ${`${ms} milliseconds`}::interval
    RETURNING runner_id
  `.execute(db);
  return rows.length;
}
