import { sql } from 'kysely';
import type { Db } from '@checkwire/db';
import { createLogger } from '@checkwire/log';

const LOG = createLogger('scheduler');

/** Queues at least this large are followed by an ANALYZE of their table. */
export const ANALYZE_AFTER_ROWS = 1000;

/** The queues whose claims are planned from these statistics. */
export type QueueTable = 'lc_delivery' | 'check_task';

/**
 * Refreshes PostgreSQL's statistics of a queue table after a large enqueue. The claims order
 * the ready rows by (run_after, id) with a LIMIT, which the ready index answers in order, but only
 * if the planner knows how many rows are ready: straight after 100,000 per-sensor deliveries are
 * queued, autovacuum has not analysed the table yet, the planner expects a few dozen, and every
 * claim of 500 read and sorted all of them on disk (54 ms a claim; 8–10 ms with statistics).
 * ANALYZE samples a bounded number of rows (tens of ms at any size), runs once per tick that
 * queued enough, on the replica that queued them, and outside their transactions. A database user that does
 * not own the table gets a warning, not an error; a failed ANALYZE is logged and the tick goes on
 * (what was queued is committed; only the claims are slower until autovacuum analyses it).
 */
export async function analyzeAfterEnqueue(
  db: Db,
  table: QueueTable,
  queued: number,
): Promise<void> {
  if (queued < ANALYZE_AFTER_ROWS) return;
  try {
    await sql`ANALYZE ${sql.table(table)}`.execute(db);
  } catch (err) {
    LOG.warn(`ANALYZE ${table} after queueing ${queued} rows failed: ${String(err)}`);
  }
}
