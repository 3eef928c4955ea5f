import { sql } from 'kysely';
import type { CheckTaskRow, Db } from '@checkwire/db';

/** How a check went, as stored on its task (null: not reported, or not finished yet). */
export type Verdict = NonNullable<CheckTaskRow['verdict']>;

/**
 * Serialises the "is this round settled?" decision for one round until the caller's transaction
 * ends: two transactions finishing a round's last two checks would otherwise each see the other's
 * check unfinished, and neither would report it. Held for a few milliseconds, never across calls.
 */
export async function lockRound(trx: Db, roundAt: Date): Promise<void> {
  const key = `check_round:${roundAt.toISOString()}`;
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

/** Whether every check of the round is finished (completed, given up or skipped). */
export async function isRoundSettled(trx: Db, roundAt: Date): Promise<boolean> {
  const row = await trx
    .selectFrom('check_task')
    .select('id')
    .where('round_at', '=', roundAt)
    .where('finished_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row === undefined;
}

/** The round's checks by verdict, and when its last check finished. */
export async function tallyRound(
  trx: Db,
  roundAt: Date,
): Promise<{ verdict: Verdict | null; n: number; last: Date | null }[]> {
  return trx
    .selectFrom('check_task')
    .select((eb) => [
      'verdict',
      eb.fn.countAll<number>().as('n'),
      eb.fn.max<Date | null>('finished_at').as('last'),
    ])
    .where('round_at', '=', roundAt)
    .groupBy('verdict')
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, n: Number(r.n) })));
}

/** Which of these services already have a check in the round. */
export async function servicesInRound(
  db: Db,
  roundAt: Date,
  serviceIds: number[],
): Promise<Set<number>> {
  if (serviceIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('check_task')
    .select('service_id')
    .where('round_at', '=', roundAt)
    .where('service_id', '=', (eb) => eb.fn.any(eb.val(serviceIds)))
    .execute();
  return new Set(rows.map((r) => Number(r.service_id)));
}
