import type { Db } from '@checkwire/db';

/** Whether this schedule's firing at `dueAt` already happened (on any replica). */
export async function hasFired(db: Db, schedule: string, dueAt: Date): Promise<boolean> {
  const row = await db
    .selectFrom('schedule_fire')
    .select('schedule')
    .where('schedule', '=', schedule)
    .where('due_at', '=', dueAt)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Claims the firing of `schedule` at `dueAt`: true for exactly one caller across replicas (the
 * primary key decides), false for everyone else. Run it in the transaction that does the work,
 * so a crash before commit leaves the firing to another replica.
 */
export async function claimFiring(
  trx: Db,
  schedule: string,
  dueAt: Date,
  firedBy: string,
): Promise<boolean> {
  const row = await trx
    .insertInto('schedule_fire')
    .values({ schedule, due_at: dueAt, fired_by: firedBy })
    .onConflict((oc) => oc.columns(['schedule', 'due_at']).doNothing())
    .returning('schedule')
    .executeTakeFirst();
  return row !== undefined;
}
