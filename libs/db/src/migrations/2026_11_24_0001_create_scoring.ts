/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations use Kysely<any> and raw SQL, never today's table types.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE team (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL UNIQUE CHECK (name <> ''),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE credential_pool (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL UNIQUE CHECK (name <> ''),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE credential (
      pool_id bigint NOT NULL REFERENCES credential_pool (id) ON DELETE CASCADE,
      position int NOT NULL,
      username text NOT NULL,
      password text NOT NULL,
      PRIMARY KEY (pool_id, position)
    );

    CREATE TABLE service (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      team_id bigint NOT NULL REFERENCES team (id),
      subtype text NOT NULL CHECK (subtype <> ''),
      url text NOT NULL DEFAULT '',
      port int NOT NULL DEFAULT 0 CHECK (port BETWEEN 0 AND 65535),
      external boolean NOT NULL DEFAULT false,
      username text NOT NULL DEFAULT '',
      password text NOT NULL DEFAULT '',
      credential_pool_id bigint REFERENCES credential_pool (id),
      team_specific_info text NOT NULL DEFAULT '',
      protocol text NOT NULL DEFAULT '',
      http_string text NOT NULL DEFAULT '',
      team_specific boolean NOT NULL DEFAULT false,
      public_visibility boolean NOT NULL DEFAULT false,
      blue_visibility boolean NOT NULL DEFAULT false,
      green_visibility boolean NOT NULL DEFAULT false,
      red_visibility boolean NOT NULL DEFAULT false,
      administratively_down boolean NOT NULL DEFAULT false,
      down_reason text NOT NULL DEFAULT '',
      score_cap int,
      last_scan int,
      last_scan_time timestamptz,
      last_scan_error text,
      in_progress boolean NOT NULL DEFAULT false,
      version bigint NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX service_team_id_idx ON service (team_id);

    CREATE TABLE check_run (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      service_id bigint NOT NULL REFERENCES service (id),
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      CHECK (finished_at IS NULL OR finished_at >= started_at)
    );
    -- At most one open run per service: what makes "mark in progress" idempotent under races.
    CREATE UNIQUE INDEX check_run_open_service_id_key ON check_run (service_id) WHERE finished_at IS NULL;

    CREATE TABLE score (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      service_id bigint NOT NULL REFERENCES service (id),
      check_run_id bigint REFERENCES check_run (id),
      result int NOT NULL,
      submitted_result int NOT NULL,
      capped boolean NOT NULL,
      error_msg text,
      request_id text CHECK (char_length(request_id) BETWEEN 1 AND 128),
      created_at timestamptz NOT NULL DEFAULT now(),
      -- NULL request ids never collide, so only keyed retries are deduplicated.
      CONSTRAINT score_service_id_request_id_key UNIQUE (service_id, request_id)
    );
    CREATE INDEX score_service_id_id_idx ON score (service_id, id);

    CREATE TABLE service_error (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      score_id bigint NOT NULL REFERENCES score (id),
      service_id bigint NOT NULL REFERENCES service (id),
      kind text NOT NULL CHECK (kind IN ('timeout', 'content', 'credentials', 'connection', 'other')),
      message text NOT NULL CHECK (message <> ''),
      detail text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX service_error_service_id_id_idx ON service_error (service_id, id);
    CREATE INDEX service_error_score_id_idx ON service_error (score_id);

    -- Every change to a service bumps its version, so a status stream can drop stale events.
    CREATE FUNCTION service_touch() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.version := OLD.version + 1;
      NEW.updated_at := now();
      RETURN NEW;
    END $$;
    CREATE TRIGGER service_touch BEFORE UPDATE ON service
      FOR EACH ROW EXECUTE FUNCTION service_touch();

    -- Tells every replica listening that a service changed: "<id>:<version>", never its content
    -- (payloads are capped at 8000 bytes and must not carry secrets).
    CREATE FUNCTION service_notify_status() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('checkwire_service_status', NEW.id::text || ':' || NEW.version::text);
      RETURN NULL;
    END $$;
    CREATE TRIGGER service_notify_status AFTER INSERT OR UPDATE ON service
      FOR EACH ROW EXECUTE FUNCTION service_notify_status();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE service_error, score, check_run, service, credential, credential_pool, team;
    DROP FUNCTION service_notify_status, service_touch;
  `.execute(db);
}
