/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// Job changes are leased to the gateway that takes them and marked delivered only when it
// confirms the answer carrying them was written: the lease records what that answer held.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE job
      ADD COLUMN lease_id uuid,
      ADD COLUMN lease_until timestamptz,
      ADD COLUMN lease_entries integer,
      ADD COLUMN lease_end boolean,
      ADD COLUMN lease_cause text,
      ADD COLUMN lease_sensor_ids text[];
    CREATE INDEX job_lease_idx ON job (lease_id) WHERE lease_id IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX job_lease_idx;
    ALTER TABLE job
      DROP COLUMN lease_id, DROP COLUMN lease_until, DROP COLUMN lease_entries,
      DROP COLUMN lease_end, DROP COLUMN lease_cause, DROP COLUMN lease_sensor_ids;
  `.execute(db);
}
