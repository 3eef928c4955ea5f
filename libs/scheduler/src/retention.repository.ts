import { sql } from 'kysely';
import type { Db } from '@checkwire/db';

/** The longest cadence (30 days) plus a day: a firing older than this can never be due again. */
const LONGEST_SLOT_MS = 31 * 24 * 3_600_000;

/**
 * Deletes up to `limit` rows of each finished kind older than `before`: check tasks that ended,
 * deliveries and continuations that were settled, and firings whose slot is past any cadence's current one (only
 * the current slot is ever looked up, so an older firing cannot fire again). Returns how many.
 */
export async function pruneFinished(db: Db, before: Date, limit: number): Promise<number> {
  const fireBefore = new Date(before.getTime() - LONGEST_SLOT_MS);
  const { rows } = await sql<{ n: number }>`
    WITH tasks AS (
      DELETE FROM check_task WHERE id IN (
        SELECT id FROM check_task WHERE finished_at < ${before} LIMIT ${limit}
      ) RETURNING 1
    ),
    deliveries AS (
      DELETE FROM lc_delivery WHERE id IN (
        SELECT id FROM lc_delivery WHERE done_at < ${before} LIMIT ${limit}
      ) RETURNING 1
    ),
    continuations AS (
      DELETE FROM lc_continuation WHERE id IN (
        SELECT id FROM lc_continuation WHERE finished_at < ${before} LIMIT ${limit}
      ) RETURNING 1
    ),
    fires AS (
      DELETE FROM schedule_fire WHERE (schedule, due_at) IN (
        SELECT schedule, due_at FROM schedule_fire WHERE due_at < ${fireBefore} LIMIT ${limit}
      ) RETURNING 1
    )
    SELECT ((SELECT count(*) FROM tasks) + (SELECT count(*) FROM deliveries)
            + (SELECT count(*) FROM continuations) + (SELECT count(*) FROM fires))::int AS n
  `.execute(db);
  return rows[0]?.n ?? 0;
}
