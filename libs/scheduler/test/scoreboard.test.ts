import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import {
  CheckOutcome,
  CompetitionServiceService,
  Role,
  ScoreboardServiceService,
  ScoringServiceService,
  SlaModel,
  TokenServiceService,
  type GetScoreboardResponse,
} from '@checkwire/proto';
import { ManualClock, SchedulerApp } from '../src/index.js';
import { eventually, queue, startWorld, type World } from './harness.js';

// The scoreboard over real scheduler rounds: a competition applied through the real scoring
// server, rounds queued by the real scheduler (a hand-moved clock), each check claimed and scored
// as a runner does (FinishServiceChecks with its round), an external check scoring on its own;
// then every total compared with one computed here from what was submitted, an SLA penalty for
// every failed round included.

const ROUND = 60_000;
const ROUNDS = 4;
// Before the real clock: a score written now counts in the latest round started.
const clock = new ManualClock(new Date('2020-01-01T00:00:00.000Z'));
const TEAMS = ['Alpha', 'Bravo', 'Charlie'];
const POINTS = { web: 100, ssh: 50, ext: 30 } as const;
type Name = keyof typeof POINTS;
/** The competition's SLA: every failed round (threshold 1) costs this, flat. */
const PENALTY = 7;

let world: World;
let scheduler: SchedulerApp;
const ids = new Map<string, number>(); // "Alpha/web" -> service id
const teamIds = new Map<string, number>();

/** Whether a service is up in a round: a fixed pattern, different per team and service. */
const upIn = (team: number, name: Name, round: number) =>
  (team * 7 + Object.keys(POINTS).indexOf(name) * 5 + round * 2) % 3 !== 0;

beforeAll(async () => {
  world = await startWorld();
  const competitions = createPromiseClient(CompetitionServiceService, world.scoring.address, {
    token: world.adminToken,
  });
  await competitions.applyCompetition({
    competition: {
      name: 'Scoreboard Cup',
      sla: {
        model: SlaModel.SLA_MODEL_FLAT,
        threshold: 1,
        penalty: PENALTY,
        growth: 0,
        maxPenalty: 0,
      },
      teams: TEAMS.map((name) => ({
        name,
        services: [
          {
            name: 'web',
            subtype: 'TCP',
            url: '127.0.0.1',
            port: 9,
            points: 100,
            publicVisibility: true,
          },
          {
            name: 'ssh',
            subtype: 'TCP',
            url: '127.0.0.1',
            port: 9,
            points: 50,
            blueVisibility: true,
          },
          { name: 'ext', subtype: 'HTTP', external: true, points: 30, publicVisibility: true },
        ],
      })),
    },
  });
  competitions.close();
  for (const s of (await world.admin.listServices({})).services) {
    const team = (await world.admin.getTeam({ id: s.teamId })).team!;
    ids.set(`${team.name}/${s.name}`, s.id);
    teamIds.set(team.name, team.id);
  }
  scheduler = await SchedulerApp.start({
    databaseUrl: world.database.url,
    lcHandlers: [],
    scoringAddress: world.scoring.address,
    token: world.schedulerToken,
    roundIntervalMs: ROUND,
    tickIntervalMs: 50,
    clock,
  });
});
afterAll(async () => {
  await scheduler.stop();
  await world.stop();
});

async function playRounds(): Promise<void> {
  const runner = queue(scheduler.address, world.runnerToken);
  const scoring = createPromiseClient(ScoringServiceService, world.scoring.address, {
    token: world.runnerToken,
  });
  try {
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) clock.advance(ROUND);
      const wanted = TEAMS.length * 2;
      const claimed: Awaited<ReturnType<typeof runner.claimChecks>>['checks'] = [];
      await eventually(async () => {
        claimed.push(...(await runner.claimChecks({ runnerId: 'r', maxChecks: 100 })).checks);
        return claimed.length === wanted;
      });
      const nameOf = new Map([...ids].map(([k, v]) => [v, k]));
      await scoring.finishServiceChecks({
        entries: claimed.map((c) => {
          const [team, name] = nameOf.get(c.serviceId)!.split('/') as [string, Name];
          const up = upIn(TEAMS.indexOf(team), name, round);
          return {
            serviceId: c.serviceId,
            result: up ? 1 : 0,
            requestId: `check:${c.serviceId}:${c.roundTime!.toISOString()}`,
            roundTime: c.roundTime,
            ...(up ? {} : { error: { kind: 4, message: 'connection refused' } }),
          };
        }),
      });
      // Completed, as a runner says with its next claim.
      await runner.claimChecks({
        runnerId: 'r',
        maxChecks: 1,
        completedChecks: claimed.map((c) => ({
          taskId: c.taskId,
          outcome: CheckOutcome.CHECK_OUTCOME_UNSPECIFIED,
        })),
      });
      // The external check scores on its own, in the round under way; twice in the last round
      // (down, then up): its latest score in a round is the one that counts.
      for (const [t, team] of TEAMS.entries()) {
        const serviceId = ids.get(`${team}/ext`)!;
        if (round === ROUNDS - 1) await scoring.insertServiceScore({ serviceId, result: 0 });
        await scoring.insertServiceScore({
          serviceId,
          result: upIn(t, 'ext', round) || round === ROUNDS - 1 ? 1 : 0,
        });
      }
    }
  } finally {
    runner.close();
    scoring.close();
  }
}

/** What each team should have, computed from the pattern the test scored by. */
function expected() {
  return TEAMS.map((team, t) => {
    const services = (Object.keys(POINTS) as Name[]).map((name) => {
      const ups = [...Array(ROUNDS).keys()].filter(
        (r) => upIn(t, name, r) || (name === 'ext' && r === ROUNDS - 1),
      ).length;
      const downs = ROUNDS - ups;
      return {
        name,
        points: ups * POINTS[name] - downs * PENALTY,
        roundsUp: ups,
        roundsScored: ROUNDS,
      };
    });
    const perRound = [...Array(ROUNDS).keys()].map((r) =>
      (Object.keys(POINTS) as Name[])
        .map((name) =>
          upIn(t, name, r) || (name === 'ext' && r === ROUNDS - 1) ? POINTS[name] : -PENALTY,
        )
        .reduce((sum, points) => sum + points, 0),
    );
    return {
      team,
      points: services.reduce((sum, s) => sum + s.points, 0),
      uptime: services.reduce((s, x) => s + x.roundsUp, 0) / (ROUNDS * 3),
      services,
      perRound,
    };
  });
}

const board = async (token: string | undefined, recentRounds = ROUNDS) => {
  const client = createPromiseClient(ScoreboardServiceService, world.scoring.address, {
    ...(token === undefined ? {} : { token }),
  });
  try {
    return await client.getScoreboard({ recentRounds });
  } finally {
    client.close();
  }
};

describe('the scoreboard', () => {
  let admin: GetScoreboardResponse;

  it("totals every team's points per service and per round, ranks and uptime, as scored", async () => {
    await playRounds();
    admin = await board(world.adminToken);
    const want = expected();
    // The pattern gives teams different totals and services different uptimes.
    expect(new Set(want.map((w) => w.points)).size).toBe(TEAMS.length);
    expect(new Set(want.flatMap((w) => w.services.map((x) => x.roundsUp))).size).toBeGreaterThan(1);
    expect(admin.rounds).toBe(ROUNDS);
    expect(admin.latestRoundTime).toEqual(
      new Date(clock.now().getTime() - (clock.now().getTime() % ROUND)),
    );
    const got = admin.teams.map((t) => ({
      team: t.teamName,
      points: t.points,
      uptime: t.uptime,
      services: t.services.map((s) => ({
        name: s.name,
        points: s.points,
        roundsUp: s.roundsUp,
        roundsScored: s.roundsScored,
      })),
      perRound: t.recentRounds.map((r) => r.points),
    }));
    const sorted = [...want].sort((a, b) => b.points - a.points || a.team.localeCompare(b.team));
    expect(got).toEqual(
      sorted.map((w) => ({
        ...w,
        services: [...w.services].sort((a, b) => a.name.localeCompare(b.name)),
      })),
    );
    for (const w of want) {
      const downs = w.services.reduce((sum, x) => sum + ROUNDS - x.roundsUp, 0);
      expect(admin.teams.find((t) => t.teamName === w.team)!.penaltyPoints).toBe(downs * PENALTY);
    }
    // Ranks: 1 for the most points, shared on a tie.
    const ranks = admin.teams.map((t) => t.rank);
    admin.teams.forEach((t, i) => {
      const higher = admin.teams.filter((o) => o.points > t.points).length;
      expect(ranks[i]).toBe(higher + 1);
    });
    expect(admin.teams[0]!.recentRounds.map((r) => r.roundNumber)).toEqual([1, 2, 3, 4]);
  });

  it('shows each caller the services it may see, and every team its total', async () => {
    const public_ = await board(undefined, 0);
    expect(public_.teams.map((t) => [t.teamName, t.points])).toEqual(
      admin.teams.map((t) => [t.teamName, t.points]),
    );
    for (const t of public_.teams) {
      expect(t.services.map((s) => s.name)).toEqual(['ext', 'web']);
      expect(t.recentRounds).toEqual([]);
    }
    const tokens = createPromiseClient(TokenServiceService, world.scoring.address, {
      token: world.adminToken,
    });
    const { secret } = await tokens.createToken({
      name: 'bravo',
      role: Role.ROLE_BLUE,
      teamId: teamIds.get('Bravo')!,
    });
    tokens.close();
    // ssh is blue_visibility: every blue team sees it, as on the status page.
    const blue = await board(secret, 1);
    for (const t of blue.teams)
      expect(t.services.map((s) => s.name)).toEqual(['ext', 'ssh', 'web']);
    expect(blue.teams[0]!.recentRounds).toHaveLength(1);
    await expect(board(world.adminToken, 101)).rejects.toMatchObject({
      details: 'recent_rounds: must be 0–100, got 101',
    });
  });

  it('refuses a score for a round the scheduler never started, writing nothing', async () => {
    const scoring = createPromiseClient(ScoringServiceService, world.scoring.address, {
      token: world.runnerToken,
    });
    try {
      const serviceId = ids.get('Alpha/web')!;
      await expect(
        scoring.finishServiceChecks({
          entries: [
            {
              serviceId,
              result: 1,
              requestId: 'made-up',
              roundTime: new Date('2019-06-01T00:00:00Z'),
            },
          ],
        }),
      ).rejects.toMatchObject({
        details: 'entries[0].round_time: no round started at 2019-06-01T00:00:00.000Z',
      });
      expect((await board(world.adminToken, 0)).teams).toEqual(
        admin.teams.map((t) => ({ ...t, recentRounds: [] })),
      );
    } finally {
      scoring.close();
    }
  });
});
