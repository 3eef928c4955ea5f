/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// What LimaCharlie has been sent of a job's cause and sensors (so a later change is delivered
// too), and client-chosen narration entry ids (an entry sent again is stored once).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE job
      ADD COLUMN delivered_cause text NOT NULL DEFAULT '',
      ADD COLUMN delivered_sensor_ids text[] NOT NULL DEFAULT '{}';
    -- Jobs already sent were sent whole: LimaCharlie has seen their cause and sensors as they are.
    UPDATE job SET delivered_cause = cause, delivered_sensor_ids = sensor_ids WHERE start_delivered;
    DROP INDEX job_undelivered_idx;
    CREATE INDEX job_undelivered_idx ON job (service_name, oid)
      WHERE NOT start_delivered OR delivered_entries < entry_count
        OR (end_time IS NOT NULL AND NOT end_delivered)
        OR cause <> delivered_cause OR sensor_ids <> delivered_sensor_ids;

    ALTER TABLE job_entry ADD COLUMN entry_id text;
    CREATE UNIQUE INDEX job_entry_id_key ON job_entry (job_id, entry_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX job_entry_id_key;
    ALTER TABLE job_entry DROP COLUMN entry_id;
    DROP INDEX job_undelivered_idx;
    ALTER TABLE job DROP COLUMN delivered_cause, DROP COLUMN delivered_sensor_ids;
    CREATE INDEX job_undelivered_idx ON job (service_name, oid)
      WHERE NOT start_delivered OR delivered_entries < entry_count
        OR (end_time IS NOT NULL AND NOT end_delivered);
  `.execute(db);
}
