import { sql } from 'kysely';
import type { Db, RoundStatus } from '@checkwire/db';

// The scoreboard's reads: from the totals a trigger keeps as scores are written (service_total,
// service_round), never from every score. One query per part, each over teams × services rows
// (and × recent rounds), whatever the number of rounds played.

export interface TeamTotalRow {
  team_id: number;
  team_name: string;
  rank: number;
  points: string;
  adjustment_points: string;
  penalty_points: string;
  rounds_up: number;
  rounds_scored: number;
}

export interface ServiceStandingRow {
  service_id: number;
  team_id: number;
  name: string;
  subtype: string;
  points: string;
  penalty_points: string;
  rounds_up: number;
  rounds_scored: number;
  rounds_partial: number;
  last_up: boolean | null;
  last_status: RoundStatus | null;
  public_visibility: boolean;
  blue_visibility: boolean;
  green_visibility: boolean;
  red_visibility: boolean;
}

export interface RoundTotalRow {
  team_id: number;
  round_at: Date;
  round_number: number;
  points: string;
  penalty_points: string;
}

/**
 * Every enabled team's totals over all its services (disabled ones included: their history),
 * SLA penalties taken and the white team's adjustments added.
 */
export async function teamTotals(db: Db): Promise<TeamTotalRow[]> {
  const { rows } = await sql<TeamTotalRow>`
    WITH svc AS (
      SELECT s.team_id, sum(st.points - st.penalty) AS points, sum(st.penalty) AS penalty,
             sum(st.rounds_up) AS rounds_up, sum(st.rounds_scored) AS rounds_scored
      FROM service s JOIN service_total st ON st.service_id = s.id
      GROUP BY s.team_id
    ), adj AS (
      SELECT team_id, sum(points) AS points FROM adjustment GROUP BY team_id
    )
    SELECT t.id AS team_id, t.name AS team_name,
           rank() OVER (ORDER BY coalesce(svc.points, 0) + coalesce(adj.points, 0) DESC)::int AS rank,
           (coalesce(svc.points, 0) + coalesce(adj.points, 0))::text AS points,
           coalesce(adj.points, 0)::text AS adjustment_points,
           coalesce(svc.penalty, 0)::text AS penalty_points,
           coalesce(svc.rounds_up, 0)::int AS rounds_up,
           coalesce(svc.rounds_scored, 0)::int AS rounds_scored
    FROM team t
    LEFT JOIN svc ON svc.team_id = t.id
    LEFT JOIN adj ON adj.team_id = t.id
    WHERE t.disabled_at IS NULL
    ORDER BY rank, t.name`.execute(db);
  return rows;
}

/** Every enabled service of an enabled team, with its totals and its latest round's status. */
export async function serviceStandings(db: Db): Promise<ServiceStandingRow[]> {
  const { rows } = await sql<ServiceStandingRow>`
    SELECT s.id AS service_id, s.team_id, s.name, s.subtype,
           coalesce(st.points - st.penalty, 0)::text AS points,
           coalesce(st.penalty, 0)::text AS penalty_points,
           coalesce(st.rounds_up, 0) AS rounds_up,
           coalesce(st.rounds_scored, 0) AS rounds_scored,
           coalesce(st.rounds_partial, 0) AS rounds_partial,
           st.last_up, lr.status AS last_status,
           s.public_visibility, s.blue_visibility, s.green_visibility, s.red_visibility
    FROM service s
    JOIN team t ON t.id = s.team_id AND t.disabled_at IS NULL
    LEFT JOIN service_total st ON st.service_id = s.id
    LEFT JOIN service_round lr ON lr.service_id = s.id AND lr.round_at = st.last_round_at
    WHERE s.disabled_at IS NULL
    ORDER BY s.team_id, s.name`.execute(db);
  return rows;
}

/** Each team's points in each of the `n` most recent rounds (rounds it scored nothing in: absent). */
export async function recentRoundTotals(db: Db, n: number): Promise<RoundTotalRow[]> {
  if (n === 0) return [];
  const { rows } = await sql<RoundTotalRow>`
    WITH numbered AS (
      SELECT started_at, row_number() OVER (ORDER BY started_at)::int AS round_number
      FROM round
    ), recent AS (
      SELECT * FROM numbered ORDER BY started_at DESC LIMIT ${n}
    )
    SELECT sr.team_id, r.started_at AS round_at, r.round_number,
           sum(sr.points - sr.penalty)::text AS points, sum(sr.penalty)::text AS penalty_points
    FROM recent r
    JOIN service_round sr ON sr.round_at = r.started_at
    GROUP BY sr.team_id, r.started_at, r.round_number`.execute(db);
  return rows;
}

/** The most recent rounds (oldest first), numbered from the competition's first. */
export async function recentRounds(
  db: Db,
  n: number,
): Promise<{
  count: number;
  latest: Date | undefined;
  recent: { round_at: Date; round_number: number }[];
}> {
  const { rows } = await sql<{ round_at: Date; round_number: number; count: number }>`
    SELECT started_at AS round_at,
           (row_number() OVER (ORDER BY started_at))::int AS round_number,
           (count(*) OVER ())::int AS count
    FROM round ORDER BY started_at DESC LIMIT ${Math.max(n, 1)}`.execute(db);
  return {
    count: rows[0]?.count ?? 0,
    latest: rows[0]?.round_at,
    recent:
      n === 0
        ? []
        : rows.map(({ round_at, round_number }) => ({ round_at, round_number })).reverse(),
  };
}
