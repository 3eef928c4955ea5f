/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// A check span lives from "in progress" to "done", across RPCs, replicas and restarts: its ids
// are kept with the run and the span is recorded when the run closes.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE check_run
      ADD COLUMN trace_id text CHECK (trace_id ~ '^[0-9a-f]{32}$'),
      ADD COLUMN span_id text CHECK (span_id ~ '^[0-9a-f]{16}$'),
      ADD COLUMN parent_span_id text CHECK (parent_span_id ~ '^[0-9a-f]{16}$'),
      ADD COLUMN trace_sampled boolean NOT NULL DEFAULT true,
      ADD COLUMN abandoned boolean NOT NULL DEFAULT false;
    -- The sweeper looks for runs left open too long.
    CREATE INDEX check_run_open_started_at_idx ON check_run (started_at) WHERE finished_at IS NULL;
    -- A run's scores, for the span's attributes.
    CREATE INDEX score_check_run_id_idx ON score (check_run_id) WHERE check_run_id IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX score_check_run_id_idx;
    DROP INDEX check_run_open_started_at_idx;
    ALTER TABLE check_run
      DROP COLUMN trace_id, DROP COLUMN span_id, DROP COLUMN parent_span_id,
      DROP COLUMN trace_sampled, DROP COLUMN abandoned;
  `.execute(db);
}
