/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// A role for the LC gateway: it reaches Jobs and the LC registry and nothing else (before, it held
// a check_runner token limited so that it could score nothing).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE api_token DROP CONSTRAINT api_token_role_check;
    ALTER TABLE api_token ADD CONSTRAINT api_token_role_check
      CHECK (role IN ('admin', 'check_runner', 'blue', 'red', 'green', 'lc_gateway'));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE api_token DROP CONSTRAINT api_token_role_check;
    ALTER TABLE api_token ADD CONSTRAINT api_token_role_check
      CHECK (role IN ('admin', 'check_runner', 'blue', 'red', 'green'));
  `.execute(db);
}
