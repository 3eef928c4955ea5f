/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// A role for the scheduler: it lists services, records give-ups and stores the jobs of periodic
// callbacks (before, it held an unlimited check_runner token, which may score anything).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE api_token DROP CONSTRAINT api_token_role_check;
    ALTER TABLE api_token ADD CONSTRAINT api_token_role_check
      CHECK (role IN ('admin', 'check_runner', 'blue', 'red', 'green', 'lc_gateway', 'scheduler'));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE api_token DROP CONSTRAINT api_token_role_check;
    ALTER TABLE api_token ADD CONSTRAINT api_token_role_check
      CHECK (role IN ('admin', 'check_runner', 'blue', 'red', 'green', 'lc_gateway'));
  `.execute(db);
}
