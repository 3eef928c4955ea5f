import { sql } from 'kysely';
import type { Db } from '@checkwire/db';
import type { QueueStats } from '@checkwire/metrics';

/**
 * A queue table's unfinished rows by state, and how long the oldest ready one has been due, in
 * one scan of its partial index of unfinished rows (`*_ready_idx`). `now` is the scheduler's
 * clock, as its claims use it.
 */
async function stats(
  db: Db,
  table: 'check_task' | 'lc_delivery' | 'lc_continuation',
  finished: 'finished_at' | 'done_at',
  now: Date,
): Promise<QueueStats> {
  const { rows } = await sql<{ ready: number; leased: number; scheduled: number; lag: number }>`
    SELECT
      count(*) FILTER (WHERE run_after <= ${now} AND NOT held)::int AS ready,
      count(*) FILTER (WHERE held)::int AS leased,
      count(*) FILTER (WHERE run_after > ${now} AND NOT held)::int AS scheduled,
      coalesce(extract(epoch FROM ${now}::timestamptz
        - min(run_after) FILTER (WHERE run_after <= ${now} AND NOT held)), 0)::float8 AS lag
    FROM (
      SELECT run_after, coalesce(locked_until >= ${now}, false) AS held
      FROM ${sql.table(table)} WHERE ${sql.ref(finished)} IS NULL
    ) unfinished
  `.execute(db);
  const r = rows[0]!;
  return { ready: r.ready, leased: r.leased, scheduled: r.scheduled, lagSeconds: r.lag };
}

/** The check queue (`check_task`): checks of rounds waiting for, or held by, a runner. */
export function checkQueueStats(db: Db, now: Date): Promise<QueueStats> {
  return stats(db, 'check_task', 'finished_at', now);
}

/** The periodic callback queue (`lc_delivery`): ticks waiting for, or held by, a worker. */
export function deliveryQueueStats(db: Db, now: Date): Promise<QueueStats> {
  return stats(db, 'lc_delivery', 'done_at', now);
}

/** LC extensions' continuations (`lc_continuation`): waiting to come due, due, or held. */
export function continuationQueueStats(db: Db, now: Date): Promise<QueueStats> {
  return stats(db, 'lc_continuation', 'finished_at', now);
}
