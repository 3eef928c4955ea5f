import { sql } from 'kysely';
import type { CheckTaskRow, Db } from '@checkwire/db';

/** The runner claimed checks now, for these pools ('' is the default pool). */
export async function recordPresence(
  db: Db,
  runner: string,
  pools: readonly string[],
  now: Date,
): Promise<void> {
  await db
    .insertInto('runner_presence')
    .values({ runner_id: runner, pools: [...pools], last_seen: now })
    .onConflict((oc) => oc.column('runner_id').doUpdateSet({ pools: [...pools], last_seen: now }))
    .execute();
}

/**
 * Checks nobody can run: queued and due since `dueBefore`, never claimed, and no runner serving
 * their pool has claimed anything since `liveSince`. Locked for the caller's transaction.
 */
export async function unservedTasks(
  trx: Db,
  c: { now: Date; dueBefore: Date; liveSince: Date; limit: number },
): Promise<CheckTaskRow[]> {
  const { rows } = await sql<CheckTaskRow>`
    SELECT t.* FROM check_task t
    WHERE t.finished_at IS NULL AND t.attempts = 0
      AND t.run_after <= ${c.dueBefore} AND t.queued_at <= ${c.dueBefore}
      AND (t.locked_until IS NULL OR t.locked_until < ${c.now})
      AND NOT EXISTS (
        SELECT 1 FROM runner_presence r WHERE r.last_seen >= ${c.liveSince} AND t.pool = ANY (r.pools)
      )
    ORDER BY t.id
    LIMIT ${c.limit}
    FOR UPDATE OF t SKIP LOCKED
  `.execute(trx);
  return rows;
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

/** Forgets runners not seen since `before` (their ids are per process: they pile up). */
export async function prunePresence(db: Db, before: Date): Promise<number> {
  const rows = await db
    .deleteFrom('runner_presence')
    .where('last_seen', '<', before)
    .returning('runner_id')
    .execute();
  return rows.length;
}
