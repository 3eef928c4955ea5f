/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// The white team's hand on the scoreboard, on the record. audit_log is append-only (a trigger
// refuses UPDATE, DELETE and TRUNCATE: nobody edits history through the API or by accident);
// adjustment holds ± points for a team, each written with its audit entry.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor_token_id bigint REFERENCES api_token (id),
      actor text NOT NULL,
      action text NOT NULL CHECK (action <> ''),
      subject text NOT NULL,
      reason text NOT NULL,
      before jsonb,
      after jsonb
    );
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

    CREATE TABLE adjustment (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      team_id bigint NOT NULL REFERENCES team (id),
      points int NOT NULL CHECK (points <> 0 AND abs(points) <= 1000000),
      reason text NOT NULL CHECK (reason <> ''),
      audit_id bigint NOT NULL REFERENCES audit_log (id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX adjustment_team_id_idx ON adjustment (team_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE adjustment;
    DROP TRIGGER audit_log_no_truncate ON audit_log;
    DROP TRIGGER audit_log_append_only ON audit_log;
    DROP TABLE audit_log;
    DROP FUNCTION audit_log_append_only;
  `.execute(db);
}
