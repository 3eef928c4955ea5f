/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// Continuations whose extension cannot be reached are retried for a time, not three attempts:
// - claims: every claim bumps it and it names the lease (`attempts` is reset when the white team
//   requeues a given-up continuation, so it can no longer tell an old lease from a new one);
// - unanswered: how many of `attempts` the extension never answered (unavailable, out of time, a
//   lease that ran out); they do not count toward the extension's three attempts;
// - unreachable_since: when the current run of unanswered deliveries began (null once the
//   extension answers); past the scheduler's budget the continuation is given up.
// A continuation waiting now keeps its lease: claims starts at its attempts.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE lc_continuation
      ADD COLUMN claims integer NOT NULL DEFAULT 0,
      ADD COLUMN unanswered integer NOT NULL DEFAULT 0 CHECK (unanswered >= 0),
      ADD COLUMN unreachable_since timestamptz;
    UPDATE lc_continuation SET claims = attempts;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE lc_continuation
      DROP COLUMN claims, DROP COLUMN unanswered, DROP COLUMN unreachable_since
  `.execute(db);
}
