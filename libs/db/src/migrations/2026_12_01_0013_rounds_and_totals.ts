/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// Rounds and points on the scoreboard. A round is one scheduler pass (its start time); every
// score counts in one round: the one its check was queued for, or the round under way when it
// was written. What the scoreboard reads is kept up to date as scores are written, in the same
// transaction (never recomputed from every score per read):
// - service_round: per service and round, the points of its latest score in that round;
// - service_total: per service, points over every round, and rounds up / rounds scored.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE round (started_at timestamptz PRIMARY KEY);
    INSERT INTO round SELECT DISTINCT round_at FROM check_task;

    ALTER TABLE score ADD COLUMN round_at timestamptz REFERENCES round (started_at);
    UPDATE score SET round_at = (SELECT max(started_at) FROM round WHERE started_at <= score.created_at);

    -- team_id: the service's team when it was scored (a round's team totals read no service).
    CREATE TABLE service_round (
      service_id bigint NOT NULL REFERENCES service (id),
      round_at timestamptz NOT NULL REFERENCES round (started_at),
      team_id bigint NOT NULL,
      score_id bigint NOT NULL REFERENCES score (id),
      up boolean NOT NULL,
      points int NOT NULL,
      PRIMARY KEY (service_id, round_at)
    );
    -- A round's team totals from the index alone.
    CREATE INDEX service_round_round_at_idx ON service_round (round_at) INCLUDE (team_id, points);

    CREATE TABLE service_total (
      service_id bigint PRIMARY KEY REFERENCES service (id),
      points bigint NOT NULL DEFAULT 0,
      rounds_up int NOT NULL DEFAULT 0,
      rounds_scored int NOT NULL DEFAULT 0,
      -- Its result in the latest round it was scored in.
      last_round_at timestamptz,
      last_up boolean
    ) WITH (fillfactor = 50); -- updated every round: room for HOT updates keeps it compact

    INSERT INTO service_round (service_id, round_at, team_id, score_id, up, points)
    SELECT DISTINCT ON (sc.service_id, sc.round_at)
           sc.service_id, sc.round_at, sv.team_id, sc.id, sc.result > 0,
           CASE WHEN sc.result > 0 THEN sv.points ELSE 0 END
    FROM score sc JOIN service sv ON sv.id = sc.service_id
    WHERE sc.round_at IS NOT NULL
    ORDER BY sc.service_id, sc.round_at, sc.id DESC;
    INSERT INTO service_total (service_id, points, rounds_up, rounds_scored, last_round_at, last_up)
    SELECT service_id, sum(points), count(*) FILTER (WHERE up), count(*), max(round_at),
           (array_agg(up ORDER BY round_at DESC))[1]
    FROM service_round GROUP BY service_id;

    -- A score without a round counts in the round under way when it is written.
    CREATE FUNCTION score_round() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.round_at IS NULL THEN
        NEW.round_at := (SELECT max(started_at) FROM round WHERE started_at <= NEW.created_at);
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER score_round BEFORE INSERT ON score
      FOR EACH ROW EXECUTE FUNCTION score_round();

    -- The service's result in the round becomes this score's (the latest score wins), and its
    -- totals move by the difference. A score written before any round counts in none.
    CREATE FUNCTION score_materialize() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      worth int;
      team bigint;
      is_up boolean := NEW.result > 0;
      was record;
    BEGIN
      IF NEW.round_at IS NULL THEN RETURN NULL; END IF;
      SELECT CASE WHEN is_up THEN points ELSE 0 END, team_id INTO worth, team
      FROM service WHERE id = NEW.service_id;
      INSERT INTO service_round (service_id, round_at, team_id, score_id, up, points)
      VALUES (NEW.service_id, NEW.round_at, team, NEW.id, is_up, worth)
      ON CONFLICT (service_id, round_at) DO NOTHING;
      IF FOUND THEN
        INSERT INTO service_total AS t
          (service_id, points, rounds_up, rounds_scored, last_round_at, last_up)
        VALUES (NEW.service_id, worth, is_up::int, 1, NEW.round_at, is_up)
        ON CONFLICT (service_id) DO UPDATE SET
          points = t.points + EXCLUDED.points,
          rounds_up = t.rounds_up + EXCLUDED.rounds_up,
          rounds_scored = t.rounds_scored + 1,
          last_up = CASE WHEN t.last_round_at > EXCLUDED.last_round_at THEN t.last_up ELSE EXCLUDED.last_up END,
          last_round_at = greatest(t.last_round_at, EXCLUDED.last_round_at);
        RETURN NULL;
      END IF;
      SELECT score_id, up, points INTO was FROM service_round
      WHERE service_id = NEW.service_id AND round_at = NEW.round_at FOR UPDATE;
      IF was.score_id > NEW.id THEN RETURN NULL; END IF;
      UPDATE service_round SET score_id = NEW.id, up = is_up, points = worth
      WHERE service_id = NEW.service_id AND round_at = NEW.round_at;
      UPDATE service_total SET
        points = points - was.points + worth,
        rounds_up = rounds_up - was.up::int + is_up::int,
        last_up = CASE WHEN last_round_at > NEW.round_at THEN last_up ELSE is_up END
      WHERE service_id = NEW.service_id;
      RETURN NULL;
    END $$;
    CREATE TRIGGER score_materialize AFTER INSERT ON score
      FOR EACH ROW EXECUTE FUNCTION score_materialize();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER score_materialize ON score;
    DROP TRIGGER score_round ON score;
    DROP FUNCTION score_materialize, score_round;
    DROP TABLE service_total, service_round;
    ALTER TABLE score DROP COLUMN round_at;
    DROP TABLE round;
  `.execute(db);
}
