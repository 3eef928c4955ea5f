/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// How each check of a round went (its runner says so when it completes the check; a give-up is
// 'other'), so the scheduler can log one summary line per round once the round is settled; and
// an index to find a round's tasks (the summary, new services joining the current round).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE check_task ADD COLUMN verdict text CHECK (verdict IN
      ('up', 'skipped', 'timeout', 'connection', 'content', 'credentials', 'other'));
    CREATE INDEX check_task_round_idx ON check_task (round_at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX check_task_round_idx;
    ALTER TABLE check_task DROP COLUMN verdict;
  `.execute(db);
}
