/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// A service's check settings (content rules; the HTTP, DNS and SQL checks' settings), validated
// by scoring before it writes them and stored whole as one JSON object: they are read together by
// the runner and never queried by their parts. '{}' (every row before this) means none.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE service ADD COLUMN check_settings jsonb NOT NULL DEFAULT '{}'::jsonb
      CONSTRAINT service_check_settings_check CHECK (jsonb_typeof(check_settings) = 'object');
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE service DROP COLUMN check_settings`.execute(db);
}
