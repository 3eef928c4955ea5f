/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// Competition as code: a service gets a name unique within its team (what a competition file
// knows it by) and points (what an up check is worth); a team or service the file no longer names
// is disabled, never deleted (its scores are history); one row of competition-wide settings.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE service
      ADD COLUMN name text,
      ADD COLUMN points int NOT NULL DEFAULT 100 CHECK (points BETWEEN 0 AND 1000000),
      ADD COLUMN disabled_at timestamptz;
    UPDATE service SET name = lower(subtype) || '-' || id;
    ALTER TABLE service
      ALTER COLUMN name SET NOT NULL,
      ADD CONSTRAINT service_name_check CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
      ADD CONSTRAINT service_team_id_name_key UNIQUE (team_id, name);

    -- A service created without a name (AdminService) is named after its subtype and id. The
    -- identity value is assigned before BEFORE triggers run. A subtype's characters outside the
    -- name alphabet become '-'.
    CREATE FUNCTION service_default_name() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.name IS NULL OR NEW.name = '' THEN
        NEW.name := left(regexp_replace(lower(NEW.subtype), '[^a-z0-9._-]', '-', 'g'), 40)
          || '-' || NEW.id::text;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER service_default_name BEFORE INSERT ON service
      FOR EACH ROW EXECUTE FUNCTION service_default_name();

    ALTER TABLE team ADD COLUMN disabled_at timestamptz;

    CREATE TABLE competition (
      id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      name text NOT NULL CHECK (name <> ''),
      check_interval_seconds int NOT NULL DEFAULT 0 CHECK (check_interval_seconds BETWEEN 0 AND 86400),
      check_jitter_seconds int NOT NULL DEFAULT 0 CHECK (check_jitter_seconds >= 0),
      check_timeout_seconds int NOT NULL DEFAULT 0 CHECK (check_timeout_seconds BETWEEN 0 AND 3600),
      check_retries int NOT NULL DEFAULT 0 CHECK (check_retries BETWEEN 0 AND 10),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE competition;
    ALTER TABLE team DROP COLUMN disabled_at;
    DROP TRIGGER service_default_name ON service;
    DROP FUNCTION service_default_name;
    ALTER TABLE service DROP COLUMN disabled_at, DROP COLUMN points, DROP COLUMN name;
  `.execute(db);
}
