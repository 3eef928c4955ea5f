import type { Db } from '@checkwire/db';

/** Which of these round start times are rounds (as epoch milliseconds). */
export async function knownRounds(db: Db, times: readonly Date[]): Promise<Set<number>> {
  if (times.length === 0) return new Set();
  const rows = await db
    .selectFrom('round')
    .select('started_at')
    .where('started_at', '=', (eb) => eb.fn.any(eb.val(times)))
    .execute();
  return new Set(rows.map((r) => r.started_at.getTime()));
}
