/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// Password change requests (PCRs): a blue team asks for its service's credentials to change; the
// competition's policy applies them at once, after a delay, or when the white team approves.
// Every request and its outcome is in the audit log.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE competition
      ADD COLUMN pcr_mode text NOT NULL DEFAULT 'approval' CHECK (pcr_mode IN ('immediate', 'delay', 'approval')),
      ADD COLUMN pcr_delay_seconds int NOT NULL DEFAULT 0 CHECK (pcr_delay_seconds BETWEEN 0 AND 86400);

    CREATE TABLE password_change (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      service_id bigint NOT NULL REFERENCES service (id),
      team_id bigint NOT NULL REFERENCES team (id),
      username text NOT NULL,
      password text NOT NULL,
      state text NOT NULL CHECK (state IN ('pending', 'applied', 'rejected')),
      -- When a 'delay' request applies by itself.
      apply_after timestamptz,
      requested_by bigint REFERENCES api_token (id),
      requested_at timestamptz NOT NULL DEFAULT now(),
      decided_at timestamptz,
      decision_reason text NOT NULL DEFAULT ''
    );
    CREATE INDEX password_change_pending_idx ON password_change (apply_after) WHERE state = 'pending';
    CREATE INDEX password_change_team_id_idx ON password_change (team_id, id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE password_change;
    ALTER TABLE competition DROP COLUMN pcr_delay_seconds, DROP COLUMN pcr_mode;
  `.execute(db);
}
