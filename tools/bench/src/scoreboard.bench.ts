import pg from 'pg';
import { createPromiseClient } from '@checkwire/grpc';
import { startScoringOnPostgres } from './scoring-on-postgres.js';
import { CompetitionServiceService, ScoreboardServiceService, SlaModel } from '@checkwire/proto';
import { Samples, type Figure } from './stats.js';

export interface ScoreboardShape {
  teams: number;
  servicesPerTeam: number;
  rounds: number;
}

/**
 * (i) The scoreboard read (GetScoreboard over gRPC, with the last 10 rounds per team) on a
 * competition of teams × services × rounds scores, and beside it its ceiling: one
 * `SELECT count(*)` over the same scores, what any read that looked at every score would cost at
 * least. Also how fast scores load with the scoreboard's totals kept by the trigger.
 */
export async function benchScoreboard(
  shape: ScoreboardShape,
  reads: number,
): Promise<{ load: Figure; board: Figure; count: Figure }> {
  const scoring = await startScoringOnPostgres('board');
  const token = scoring.adminToken;
  const app = { address: scoring.address };
  const postgres = { url: scoring.databaseUrl };
  const competitions = createPromiseClient(CompetitionServiceService, app.address, { token });
  const scoreboard = createPromiseClient(ScoreboardServiceService, app.address, { token });
  const sql = new pg.Client({ connectionString: postgres.url });
  await sql.connect();
  try {
    await competitions.applyCompetition({
      competition: {
        name: 'bench',
        // Penalties kept as scores are written: the trigger's SLA work is part of the load.
        sla: {
          model: SlaModel.SLA_MODEL_FLAT,
          threshold: 3,
          penalty: 10,
          growth: 0,
          maxPenalty: 0,
        },
        teams: Array.from({ length: shape.teams }, (_, t) => ({
          name: `team-${t + 1}`,
          services: Array.from({ length: shape.servicesPerTeam }, (_, s) => ({
            name: `svc-${s + 1}`,
            subtype: 'TCP',
            external: true,
            publicVisibility: true,
          })),
        })),
      },
    });
    // Every round, every service scored once (up two times in three; every tenth service always
    // down, so its SLA penalties mount), as the runner would: in batches of rounds, through the
    // trigger that keeps the totals.
    const start = performance.now();
    const batch = 50;
    for (let first = 0; first < shape.rounds; first += batch) {
      const last = Math.min(first + batch, shape.rounds) - 1;
      await sql.query(
        `WITH r AS (
           INSERT INTO round SELECT timestamptz '2026-01-01' + g * interval '1 minute'
           FROM generate_series($1::int, $2::int) g RETURNING started_at
         )
         INSERT INTO score (service_id, result, submitted_result, capped, round_at)
         SELECT s.id,
                (s.id % 10 <> 0 AND (s.id + extract(epoch FROM r.started_at)::bigint / 60) % 3 <> 0)::int,
                1, false, r.started_at
         FROM r CROSS JOIN service s ORDER BY r.started_at, s.id`,
        [first, last],
      );
    }
    const loadSeconds = (performance.now() - start) / 1000;
    const scores = shape.teams * shape.servicesPerTeam * shape.rounds;
    await sql.query('VACUUM ANALYZE');

    const board = new Samples();
    const count = new Samples();
    for (let i = 0; i < 3; i++) await scoreboard.getScoreboard({ recentRounds: 10 });
    for (let i = 0; i < reads; i++) {
      let t = performance.now();
      await scoreboard.getScoreboard({ recentRounds: 10 });
      board.add(performance.now() - t);
      t = performance.now();
      await sql.query('SELECT count(*) FROM score');
      count.add(performance.now() - t);
    }
    const figure = (name: string, s: Samples): Figure => ({
      name,
      rate: 1000 / s.percentile(50),
      unit: 'reads/s',
      p50Ms: s.percentile(50),
      p99Ms: s.percentile(99),
      extra: { scores },
    });
    return {
      load: {
        name: '(i) scores loaded, totals kept',
        rate: scores / loadSeconds,
        unit: 'scores/s',
        p50Ms: NaN,
        p99Ms: NaN,
        extra: { scores, seconds: loadSeconds },
      },
      board: figure('(i) GetScoreboard (10 rounds)', board),
      count: figure('(i) ceiling: SELECT count(*) FROM score', count),
    };
  } finally {
    competitions.close();
    scoreboard.close();
    await sql.end();
    await scoring.stop();
  }
}
