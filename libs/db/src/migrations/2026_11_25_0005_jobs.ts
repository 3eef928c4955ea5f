/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// Jobs of LimaCharlie services. Narration entries are rows of their own (appended, never
// rewritten); `delivered_entries` / `end_delivered` record what LimaCharlie has been sent.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE job (
      id uuid PRIMARY KEY,
      oid text NOT NULL DEFAULT '',
      service_name text NOT NULL DEFAULT '',
      cause text NOT NULL DEFAULT '',
      sensor_ids text[] NOT NULL DEFAULT '{}',
      start_time timestamptz NOT NULL DEFAULT now(),
      end_time timestamptz,
      entry_count integer NOT NULL DEFAULT 0,
      -- What LimaCharlie has been sent: the job itself, how many entries, its end.
      start_delivered boolean NOT NULL DEFAULT false,
      delivered_entries integer NOT NULL DEFAULT 0,
      end_delivered boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX job_oid_start_idx ON job (oid, start_time DESC, id);
    CREATE INDEX job_start_idx ON job (start_time DESC, id);
    -- Jobs with something LimaCharlie has not seen, per route and org.
    CREATE INDEX job_undelivered_idx ON job (service_name, oid)
      WHERE NOT start_delivered OR delivered_entries < entry_count
        OR (end_time IS NOT NULL AND NOT end_delivered);

    CREATE TABLE job_entry (
      job_id uuid NOT NULL REFERENCES job (id) ON DELETE CASCADE,
      seq integer NOT NULL,
      ts timestamptz NOT NULL DEFAULT now(),
      message text NOT NULL,
      important boolean NOT NULL DEFAULT false,
      -- Attachments as protobuf-JSON-like objects; hex dumps base64 in "data".
      attachments jsonb NOT NULL DEFAULT '[]',
      PRIMARY KEY (job_id, seq)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE job_entry, job`.execute(db);
}
