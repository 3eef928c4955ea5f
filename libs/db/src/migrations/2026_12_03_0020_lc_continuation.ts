/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// Continuations of LC extensions (ContinuationService): a follow-up call an extension's answer
// asked for, kept until it is due and then delivered once (leased with FOR UPDATE SKIP LOCKED like
// lc_delivery and check_task, under the same column names: run_after, locked_until, attempts).
// (extension_name, source_key, position) is unique, so the gateway handing over the same answer
// again (LimaCharlie sends a message up to three times) stores nothing twice and gets the same ids
// back; a settled row stays (finished_at, outcome) until the scheduler's retention deletes it, so
// a late resend cannot schedule a delivered continuation again. due_at is when the extension asked
// for it; run_after moves later after a retriable failure. No database role grants to add: the
// scheduler's role (2026_12_01_0010) is an API token role, and the scheduler owns the table.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE lc_continuation (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      extension_name text NOT NULL,
      source_key text NOT NULL,
      position integer NOT NULL CHECK (position >= 0),
      oid text NOT NULL,
      jwt text NOT NULL DEFAULT '',
      ident text NOT NULL DEFAULT '',
      config jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(config) = 'object'),
      action text NOT NULL,
      state jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(state) = 'object'),
      due_at timestamptz NOT NULL,
      run_after timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      outcome text CHECK (outcome IN ('delivered', 'gave_up')),
      UNIQUE (extension_name, source_key, position)
    );
    CREATE INDEX lc_continuation_ready_idx ON lc_continuation (run_after, id)
      WHERE finished_at IS NULL;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE lc_continuation`.execute(db);
}
