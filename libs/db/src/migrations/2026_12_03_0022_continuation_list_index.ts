/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// ListContinuations reads one extension's continuations: the waiting ones (finished_at IS NULL)
// first, then the settled ones newest first. Without an index on extension_name it read every
// extension's rows; (extension_name, finished_at) serves both halves.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX lc_continuation_list_idx ON lc_continuation (extension_name, finished_at)
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX lc_continuation_list_idx`.execute(db);
}
