/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time: Kysely<any> */
import { sql, type Kysely } from 'kysely';

// Partial scores, a status per round, SLA penalties and re-scoring, all kept in service_round as
// scores are written (still never recomputed from every score per read).
// - A score earns part of the service's points when the service has a score_cap: result/score_cap
//   of them (IScorE v2's partial credit); without one, any result > 0 earns them all.
// - A round's status: 'up' (all its points), 'partial' (some), 'down' (result <= 0) or 'error'
//   (down, with an error reported against the counted score).
// - SLA: the `threshold`-th consecutive failed round (down or error) and each further one in a
//   row cost a penalty: flat (the same each time), additive (one more `penalty` each time) or
//   exponential (times `growth` each time), at most `max_penalty` per round. The competition sets
//   the rule; a service may set its own. A rule counts from the next round it is written for
//   (re-scoring a round applies the current rules to it).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE competition
      ADD COLUMN sla_model text NOT NULL DEFAULT 'off'
        CHECK (sla_model IN ('off', 'flat', 'additive', 'exponential')),
      ADD COLUMN sla_threshold int NOT NULL DEFAULT 3 CHECK (sla_threshold BETWEEN 1 AND 1000),
      ADD COLUMN sla_penalty int NOT NULL DEFAULT 0 CHECK (sla_penalty BETWEEN 0 AND 1000000),
      ADD COLUMN sla_growth numeric NOT NULL DEFAULT 2 CHECK (sla_growth BETWEEN 1 AND 10),
      ADD COLUMN sla_max_penalty int NOT NULL DEFAULT 1000000
        CHECK (sla_max_penalty BETWEEN 0 AND 1000000);

    -- A service's own rule: NULL model = the competition's rule, whole.
    ALTER TABLE service
      ADD COLUMN sla_model text CHECK (sla_model IN ('off', 'flat', 'additive', 'exponential')),
      ADD COLUMN sla_threshold int CHECK (sla_threshold BETWEEN 1 AND 1000),
      ADD COLUMN sla_penalty int CHECK (sla_penalty BETWEEN 0 AND 1000000),
      ADD COLUMN sla_growth numeric CHECK (sla_growth BETWEEN 1 AND 10),
      ADD COLUMN sla_max_penalty int CHECK (sla_max_penalty BETWEEN 0 AND 1000000),
      ADD CONSTRAINT service_sla_whole CHECK (
        (sla_model IS NULL) = (sla_threshold IS NULL) AND (sla_model IS NULL) = (sla_penalty IS NULL)
        AND (sla_model IS NULL) = (sla_growth IS NULL) AND (sla_model IS NULL) = (sla_max_penalty IS NULL));

    ALTER TABLE service_round
      ADD COLUMN status text NOT NULL DEFAULT 'up' CHECK (status IN ('up', 'partial', 'down', 'error')),
      -- Consecutive failed rounds of the service ending with this one (0: not failed).
      ADD COLUMN streak int NOT NULL DEFAULT 0,
      ADD COLUMN penalty int NOT NULL DEFAULT 0 CHECK (penalty >= 0);
    ALTER TABLE service_total
      ADD COLUMN penalty bigint NOT NULL DEFAULT 0,
      ADD COLUMN rounds_partial int NOT NULL DEFAULT 0;

    UPDATE service_round sr SET status = CASE
        WHEN NOT sr.up THEN CASE WHEN EXISTS (SELECT 1 FROM service_error e WHERE e.score_id = sr.score_id)
                            THEN 'error' ELSE 'down' END
        ELSE 'up' END;

    -- What a result earns, and its status, under a service's points and cap.
    CREATE FUNCTION score_worth(points int, cap int, result int) RETURNS int
      LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN result <= 0 THEN 0
                    WHEN cap IS NULL OR cap <= 0 OR result >= cap THEN points
                    ELSE round(points::numeric * result / cap)::int END $$;
    CREATE FUNCTION score_status(cap int, result int) RETURNS text
      LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN result <= 0 THEN 'down'
                    WHEN cap IS NOT NULL AND cap > 0 AND result < cap THEN 'partial'
                    ELSE 'up' END $$;

    -- The penalty of the streak-th consecutive failed round under a rule.
    CREATE FUNCTION sla_penalty(model text, threshold int, penalty int, growth numeric,
                                max_penalty int, streak int) RETURNS int
      LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN model = 'off' OR streak < threshold THEN 0
                    WHEN model = 'flat' THEN least(penalty, max_penalty)
                    WHEN model = 'additive' THEN least(penalty::bigint * (streak - threshold + 1), max_penalty)::int
                    ELSE least(round(penalty * power(growth, least(streak - threshold, 2000))), max_penalty)::int
               END $$;

    -- Streaks and penalties of a service's rounds from p_from on, under its rule now; stops at
    -- the first later round that comes out the same. Moves service_total.penalty by the change.
    -- The rule is the service's (its caller read it with the service's row).
    CREATE FUNCTION sla_recompute(p_service bigint, p_from timestamptz, p_model text,
                                  p_threshold int, p_penalty int, p_growth numeric, p_max int)
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        r record;
        prev int;
        k int;
        pen int;
        delta bigint := 0;
      BEGIN
        SELECT streak INTO prev FROM service_round
        WHERE service_id = p_service AND round_at < p_from ORDER BY round_at DESC LIMIT 1;
        prev := coalesce(prev, 0);
        FOR r IN SELECT round_at, status, streak, penalty FROM service_round
                 WHERE service_id = p_service AND round_at >= p_from ORDER BY round_at FOR UPDATE LOOP
          k := CASE WHEN r.status IN ('down', 'error') THEN prev + 1 ELSE 0 END;
          -- A later round whose streak stands keeps its penalty (and so do the rest): a rule
          -- counts from the rounds scored after it, or from a round re-scored under it.
          EXIT WHEN r.round_at > p_from AND k = r.streak;
          pen := CASE WHEN p_model = 'off' OR k = 0 THEN 0
                      ELSE sla_penalty(p_model, p_threshold, p_penalty, p_growth, p_max, k) END;
          IF k <> r.streak OR pen <> r.penalty THEN
            UPDATE service_round SET streak = k, penalty = pen
            WHERE service_id = p_service AND round_at = r.round_at;
            delta := delta + pen - r.penalty;
          END IF;
          prev := k;
        END LOOP;
        IF delta <> 0 THEN
          UPDATE service_total SET penalty = penalty + delta WHERE service_id = p_service;
        END IF;
      END $$;

    -- Makes p_score the service's counted score in the round, under its points, cap and SLA rule
    -- now, and moves its totals by the difference. The caller has decided p_score should count;
    -- p_result is what it counts (what the check submitted, where an older cap lowered it: a cap
    -- raised since counts more of it), p_errored whether an error was reported against it.
    CREATE FUNCTION service_round_count(p_service bigint, p_round timestamptz, p_score bigint,
                                        p_result int, p_errored boolean)
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        svc record;
        res int := p_result;
        worth int;
        st text;
        is_up boolean;
        was record;
        prev int;
        k int;
        pen int;
      BEGIN
        SELECT s.points, s.score_cap, s.team_id,
               coalesce(s.sla_model, c.sla_model, 'off') AS model,
               CASE WHEN s.sla_model IS NULL THEN c.sla_threshold ELSE s.sla_threshold END AS threshold,
               CASE WHEN s.sla_model IS NULL THEN c.sla_penalty ELSE s.sla_penalty END AS penalty,
               CASE WHEN s.sla_model IS NULL THEN c.sla_growth ELSE s.sla_growth END AS growth,
               CASE WHEN s.sla_model IS NULL THEN c.sla_max_penalty ELSE s.sla_max_penalty END AS max_penalty
        INTO svc
        FROM service s LEFT JOIN competition c ON true WHERE s.id = p_service;
        worth := score_worth(svc.points, svc.score_cap, res);
        st := score_status(svc.score_cap, res);
        IF st = 'down' AND p_errored THEN st := 'error'; END IF;
        is_up := res > 0;
        -- A round new to the service (the common case: the latest one) gets its SLA streak and
        -- penalty as it is written, from the round before; rounds after it (a late score) are
        -- carried along below.
        SELECT streak INTO prev FROM service_round
        WHERE service_id = p_service AND round_at < p_round ORDER BY round_at DESC LIMIT 1;
        k := CASE WHEN st IN ('down', 'error') THEN coalesce(prev, 0) + 1 ELSE 0 END;
        pen := CASE WHEN svc.model = 'off' OR k = 0 THEN 0
                    ELSE sla_penalty(svc.model, svc.threshold, svc.penalty, svc.growth, svc.max_penalty, k) END;
        INSERT INTO service_round (service_id, round_at, team_id, score_id, up, points, status, streak, penalty)
        VALUES (p_service, p_round, svc.team_id, p_score, is_up, worth, st, k, pen)
        ON CONFLICT (service_id, round_at) DO NOTHING;
        IF FOUND THEN
          INSERT INTO service_total AS t
            (service_id, points, rounds_up, rounds_scored, rounds_partial, last_round_at, last_up, penalty)
          VALUES (p_service, worth, is_up::int, 1, (st = 'partial')::int, p_round, is_up, pen)
          ON CONFLICT (service_id) DO UPDATE SET
            points = t.points + EXCLUDED.points,
            rounds_up = t.rounds_up + EXCLUDED.rounds_up,
            rounds_scored = t.rounds_scored + 1,
            rounds_partial = t.rounds_partial + EXCLUDED.rounds_partial,
            penalty = t.penalty + EXCLUDED.penalty,
            last_up = CASE WHEN t.last_round_at > EXCLUDED.last_round_at THEN t.last_up ELSE EXCLUDED.last_up END,
            last_round_at = greatest(t.last_round_at, EXCLUDED.last_round_at);
          IF NOT EXISTS (SELECT 1 FROM service_round WHERE service_id = p_service AND round_at > p_round) THEN
            RETURN;
          END IF;
        ELSE
          SELECT score_id, up, points, status INTO was FROM service_round
          WHERE service_id = p_service AND round_at = p_round FOR UPDATE;
          -- A newer score counted meanwhile (two writers of one round): it stays.
          IF was.score_id > p_score THEN RETURN; END IF;
          UPDATE service_round SET score_id = p_score, up = is_up, points = worth, status = st
          WHERE service_id = p_service AND round_at = p_round;
          UPDATE service_total SET
            points = points - was.points + worth,
            rounds_up = rounds_up - was.up::int + is_up::int,
            rounds_partial = rounds_partial - (was.status = 'partial')::int + (st = 'partial')::int,
            last_up = CASE WHEN last_round_at > p_round THEN last_up ELSE is_up END
          WHERE service_id = p_service;
        END IF;
        PERFORM sla_recompute(p_service, p_round, svc.model, svc.threshold, svc.penalty,
                              svc.growth, svc.max_penalty);
      END $$;

    -- The latest score of a round counts (a score older than the counted one changes nothing).
    CREATE OR REPLACE FUNCTION score_materialize() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      counted bigint;
    BEGIN
      IF NEW.round_at IS NULL THEN RETURN NULL; END IF;
      SELECT score_id INTO counted FROM service_round
      WHERE service_id = NEW.service_id AND round_at = NEW.round_at FOR UPDATE;
      IF counted > NEW.id THEN RETURN NULL; END IF;
      -- A new score has no error yet (one is reported against it after it is written).
      PERFORM service_round_count(NEW.service_id, NEW.round_at, NEW.id,
        CASE WHEN NEW.capped THEN NEW.submitted_result ELSE NEW.result END, false);
      RETURN NULL;
    END $$;

    -- An error reported against a round's counted, failed score makes the round's status 'error'.
    CREATE FUNCTION service_error_status() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE service_round SET status = 'error' WHERE score_id = NEW.score_id AND status = 'down';
      RETURN NULL;
    END $$;
    CREATE TRIGGER service_error_status AFTER INSERT ON service_error
      FOR EACH ROW EXECUTE FUNCTION service_error_status();
    CREATE INDEX service_round_score_id_idx ON service_round (score_id);
    -- A round's team totals (points less penalties) from the index alone, as before penalties.
    DROP INDEX service_round_round_at_idx;
    CREATE INDEX service_round_round_at_idx ON service_round (round_at) INCLUDE (team_id, points, penalty);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX service_round_round_at_idx;
    CREATE INDEX service_round_round_at_idx ON service_round (round_at) INCLUDE (team_id, points);
    DROP INDEX service_round_score_id_idx;
    DROP TRIGGER service_error_status ON service_error;
    DROP FUNCTION service_error_status;
    CREATE OR REPLACE FUNCTION score_materialize() RETURNS trigger LANGUAGE plpgsql AS $$
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
    DROP FUNCTION service_round_count, sla_recompute, sla_penalty, score_status, score_worth;
    ALTER TABLE service_total DROP COLUMN rounds_partial, DROP COLUMN penalty;
    ALTER TABLE service_round DROP COLUMN penalty, DROP COLUMN streak, DROP COLUMN status;
    ALTER TABLE service DROP CONSTRAINT service_sla_whole, DROP COLUMN sla_max_penalty,
      DROP COLUMN sla_growth, DROP COLUMN sla_penalty, DROP COLUMN sla_threshold, DROP COLUMN sla_model;
    ALTER TABLE competition DROP COLUMN sla_max_penalty, DROP COLUMN sla_growth,
      DROP COLUMN sla_penalty, DROP COLUMN sla_threshold, DROP COLUMN sla_model;
  `.execute(db);
}
