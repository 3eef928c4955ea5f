import { status } from '@grpc/grpc-js';
import {
  Role,
  RoundStatus,
  SlaModel,
  type GetScoreboardResponse,
  type ServiceSpec,
  type SlaRule,
  type WatchScoreboardResponse,
} from '@checkwire/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, grpcError, startHarness, type Harness } from './harness.js';

// The scoring model on a real server and database: partial scores and a status per round, SLA
// penalties under each model (checked against penalties computed here, round by round, apart
// from the database's), re-scoring a round under corrected rules, and the live scoreboard.

let h: Harness;
let round = 0;
const BASE = Date.parse('2026-04-01T10:00:00.000Z');

/** A new round (as the scheduler records one), each a minute after the last. */
async function newRound(): Promise<Date> {
  const at = new Date(BASE + round++ * 60_000);
  await h.sql.query('INSERT INTO round VALUES ($1)', [at]);
  return at;
}

const service = (name: string, extra: Partial<ServiceSpec> = {}): ServiceSpec =>
  ({ name, subtype: 'HTTP', external: true, points: 100, ...extra }) as ServiceSpec;

const rule = (model: SlaModel, more: Partial<SlaRule> = {}): SlaRule => ({
  model,
  threshold: 2,
  penalty: 10,
  growth: 0,
  maxPenalty: 0,
  ...more,
});

/** The competition of these tests; `sla` is the competition-wide rule. */
async function apply(
  sla: SlaRule | undefined,
  extra: Partial<ServiceSpec> = {},
  web: Partial<ServiceSpec> = {},
) {
  return h.competitions.applyCompetition({
    competition: {
      name: 'Model Cup',
      sla,
      teams: [
        {
          name: 'P',
          services: [service('web', { scoreCap: 10, ...web }), service('mail', extra)],
        },
        {
          name: 'S',
          services: [
            service('flat'),
            service('additive', { sla: rule(SlaModel.SLA_MODEL_ADDITIVE) }),
            service('exponential', {
              sla: rule(SlaModel.SLA_MODEL_EXPONENTIAL, { growth: 3, maxPenalty: 200 }),
            }),
            service('exempt', { sla: rule(SlaModel.SLA_MODEL_OFF) }),
          ],
        },
      ],
    },
  });
}

let ids: Record<string, number>;

async function score(at: Date, results: Record<string, number>, tag = '') {
  await h.scoring.finishServiceChecks({
    entries: Object.entries(results).map(([name, result]) => ({
      serviceId: ids[name]!,
      result,
      requestId: `${name}@${at.toISOString()}${tag}`,
      roundTime: at,
    })),
  });
}

const board = () => h.scoreboard.getScoreboard({ recentRounds: 100 });
const standingOf = (b: GetScoreboardResponse, name: string) =>
  b.teams.flatMap((t) => t.services).find((s) => s.name === name)!;

/**
 * The penalties a run of rounds costs (true: failed), computed here from the rule's words: from
 * the threshold-th failed round in a row on, flat costs `penalty` each, additive one `penalty`
 * more each time, exponential `growth` times the last; never above `max` a round.
 */
function expectedPenalties(
  failed: boolean[],
  r: {
    model: 'flat' | 'additive' | 'exponential' | 'off';
    threshold: number;
    penalty: number;
    growth?: number;
    max?: number;
  },
): number[] {
  let streak = 0;
  return failed.map((f) => {
    streak = f ? streak + 1 : 0;
    if (r.model === 'off' || streak < r.threshold) return 0;
    const nth = streak - r.threshold; // 0 for the first penalised round
    const raw =
      r.model === 'flat'
        ? r.penalty
        : r.model === 'additive'
          ? r.penalty * (nth + 1)
          : r.penalty * (r.growth ?? 2) ** nth;
    return Math.min(Math.round(raw), r.max ?? 1_000_000);
  });
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

beforeAll(async () => {
  h = await startHarness({ scoreboardIntervalMs: 50 });
  await apply(rule(SlaModel.SLA_MODEL_FLAT));
  const { services } = await h.admin.listServices({});
  ids = Object.fromEntries(services.map((s) => [s.name, s.id]));
});
afterAll(() => h.stop());

describe('partial scores', () => {
  it('earn result/score_cap of the points, with a status per round', async () => {
    const r1 = await newRound();
    await score(r1, { web: 4, mail: 1 });
    let b = await board();
    expect(standingOf(b, 'web')).toMatchObject({
      points: 40,
      lastStatus: RoundStatus.ROUND_STATUS_PARTIAL,
      roundsUp: 1,
      roundsPartial: 1,
    });
    expect(standingOf(b, 'mail')).toMatchObject({
      points: 100,
      lastStatus: RoundStatus.ROUND_STATUS_UP,
    });

    // A later score in the same round replaces the earlier one, partial count included.
    await score(r1, { web: 15 }, '-again');
    b = await board();
    expect(standingOf(b, 'web')).toMatchObject({
      points: 100,
      lastStatus: RoundStatus.ROUND_STATUS_UP,
      roundsPartial: 0,
    });

    const r2 = await newRound();
    await score(r2, { web: 0, mail: 0 });
    const { rows } = await h.sql.query<{ id: string }>(
      'SELECT id FROM score WHERE service_id = $1 ORDER BY id DESC LIMIT 1',
      [ids.web],
    );
    await h.scoring.reportServiceError({
      scoreId: Number(rows[0]!.id),
      kind: 4,
      message: 'connection refused',
      detail: '',
    });
    b = await board();
    expect(standingOf(b, 'web').lastStatus).toBe(RoundStatus.ROUND_STATUS_ERROR);
    expect(standingOf(b, 'mail').lastStatus).toBe(RoundStatus.ROUND_STATUS_DOWN);
    const p = b.teams.find((t) => t.teamName === 'P')!;
    expect(p.recentRounds.map((r) => r.points)).toEqual([200, 0]);
  });

  it('a flip of a capped service makes it up with all its points, not partial', async () => {
    const r = await newRound();
    await score(r, { web: 0 });
    const flipped = await h.adjustments.flipCheckResult({
      serviceId: ids.web!,
      roundTime: r,
      reason: 'checker had no route',
    });
    expect(flipped).toMatchObject({ up: true, points: 100 });
    expect(standingOf(await board(), 'web').lastStatus).toBe(RoundStatus.ROUND_STATUS_UP);
  });
});

describe('SLA penalties', () => {
  it('charge each model as the rule says, per service or from the competition', async () => {
    const failed = [true, true, true, true, false, true, true, true, true];
    const names = ['flat', 'additive', 'exponential', 'exempt'];
    for (const f of failed) {
      const at = await newRound();
      await score(at, Object.fromEntries(names.map((n) => [n, f ? 0 : 1])));
    }
    const upRounds = failed.filter((f) => !f).length;
    const expected = {
      flat: expectedPenalties(failed, { model: 'flat', threshold: 2, penalty: 10 }),
      additive: expectedPenalties(failed, { model: 'additive', threshold: 2, penalty: 10 }),
      exponential: expectedPenalties(failed, {
        model: 'exponential',
        threshold: 2,
        penalty: 10,
        growth: 3,
        max: 200,
      }),
      exempt: expectedPenalties(failed, { model: 'off', threshold: 2, penalty: 10 }),
    };
    // Spelled out once, so a wrong reference cannot pass unseen: streaks 1 2 3 4 · 1 2 3 4.
    expect(expected.flat).toEqual([0, 10, 10, 10, 0, 0, 10, 10, 10]);
    expect(expected.additive).toEqual([0, 10, 20, 30, 0, 0, 10, 20, 30]);
    expect(expected.exponential).toEqual([0, 10, 30, 90, 0, 0, 10, 30, 90]);

    const b = await board();
    for (const name of names) {
      const penalty = sum(expected[name as keyof typeof expected]);
      expect(standingOf(b, name), name).toMatchObject({
        penaltyPoints: penalty,
        points: upRounds * 100 - penalty,
      });
    }
    const s = b.teams.find((t) => t.teamName === 'S')!;
    const totalPenalty = sum(Object.values(expected).map(sum));
    expect(s.penaltyPoints).toBe(totalPenalty);
    expect(s.points).toBe(names.length * upRounds * 100 - totalPenalty);
    // The last round's total is its points less its penalties: all down, 10 + 30 + 90.
    expect(s.recentRounds.at(-1)).toMatchObject({ points: -130, penaltyPoints: 130 });

    // The exponential rule's cap: a fifth failed round in a row would cost 270, capped at 200.
    const at = await newRound();
    await score(at, { exponential: 0 });
    expect(standingOf(await board(), 'exponential').penaltyPoints).toBe(
      sum(expected.exponential) + 200,
    );
  });

  it('carry a flip of an old round forward: later streaks and penalties follow', async () => {
    const penalty = async () => standingOf(await board(), 'flat').penaltyPoints;
    const reset = await newRound();
    await score(reset, { flat: 1 });
    const start = await penalty();
    const downs: Date[] = [];
    for (let i = 0; i < 4; i++) {
      downs.push(await newRound());
      await score(downs.at(-1)!, { flat: 0 });
    }
    // Streaks 1 2 3 4 under flat (threshold 2, penalty 10): 0 + 10 + 10 + 10.
    expect((await penalty()) - start).toBe(30);
    await h.adjustments.flipCheckResult({
      serviceId: ids.flat!,
      roundTime: downs[1],
      reason: 'the checker lost its route',
    });
    // Streaks 1 0 1 2: only the last round is penalised now.
    expect((await penalty()) - start).toBe(10);
    const { rows } = await h.sql.query<{ streak: number; penalty: number }>(
      'SELECT streak, penalty FROM service_round WHERE service_id = $1 AND round_at = ANY($2) ORDER BY round_at',
      [ids.flat, downs],
    );
    expect(rows.map((r) => [r.streak, r.penalty])).toEqual([
      [1, 0],
      [0, 0],
      [1, 0],
      [2, 10],
    ]);
  });

  it('refuses a rule out of range, naming its field, and changes nothing', async () => {
    const before = await h.competitions.exportCompetition({});
    expect(await grpcError(apply(rule(SlaModel.SLA_MODEL_FLAT, { threshold: 5000 })))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'sla.threshold: must be a whole number 1–1000, got 5000',
    });
    expect(
      await grpcError(
        apply(rule(SlaModel.SLA_MODEL_FLAT), {
          sla: rule(SlaModel.SLA_MODEL_EXPONENTIAL, { growth: 11 }),
        }),
      ),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'teams[0].services[1].sla.growth: must be 1–10, got 11',
    });
    expect(await h.competitions.exportCompetition({})).toEqual(before);
  });

  it('exports the rules as applied, and applying the export changes nothing', async () => {
    const { competition } = await h.competitions.exportCompetition({});
    expect(competition!.sla).toMatchObject({ model: SlaModel.SLA_MODEL_FLAT, threshold: 2 });
    const s = competition!.teams.find((t) => t.name === 'S')!;
    expect(s.services.find((x) => x.name === 'exponential')!.sla).toMatchObject({
      model: SlaModel.SLA_MODEL_EXPONENTIAL,
      growth: 3,
      maxPenalty: 200,
    });
    expect(s.services.find((x) => x.name === 'flat')!.sla).toBeUndefined();
    const again = await h.competitions.applyCompetition({ competition });
    expect(again).toMatchObject({ changes: [], applied: false });
  });
});

describe('RescoreRound', () => {
  it('counts a past round again under corrected points, on the record', async () => {
    const at = await newRound();
    await score(at, { mail: 1 });
    const later = await newRound();
    await score(later, { mail: 1 });
    const before = standingOf(await board(), 'mail').points;

    // mail was worth 100 by mistake; the white team makes it 250 and re-scores one round.
    const changed = await apply(rule(SlaModel.SLA_MODEL_FLAT), { points: 250 });
    expect(changed.changes.map((c) => c.details).flat()).toContain('points: 100 → 250');
    const teamP = (await h.admin.listTeams({})).teams.find((t) => t.name === 'P')!.id;
    const totalBefore = (await board()).teams.find((t) => t.teamId === teamP)!.points;
    const done = await h.adjustments.rescoreRound({ roundTime: at, reason: 'mail is worth 250' });
    expect(done.services).toBe(1);
    expect(done.changed).toEqual([{ teamId: teamP, pointsBefore: 100, pointsAfter: 250 }]);
    expect(done.audit).toMatchObject({
      action: 'rescore_round',
      subject: `round ${at.toISOString()}`,
      reason: 'mail is worth 250',
    });
    // The round's points, and each changed team's total over every round, before and after.
    const team = `team ${teamP}`;
    expect(JSON.parse(done.audit!.beforeJson)).toEqual({
      [team]: 100,
      totals: { [team]: totalBefore },
    });
    expect(JSON.parse(done.audit!.afterJson)).toEqual({
      services: 1,
      [team]: 250,
      totals: { [team]: totalBefore + 150 },
    });
    // Only that round moved: the later one still counts 100 until it is re-scored too.
    expect(standingOf(await board(), 'mail').points).toBe(before + 150);

    expect(await grpcError(h.adjustments.rescoreRound({ roundTime: at, reason: '' }))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'reason: must not be empty',
    });
    const nowhere = new Date('2020-01-01T00:00:00Z');
    expect(
      await grpcError(h.adjustments.rescoreRound({ roundTime: nowhere, reason: 'x' })),
    ).toEqual({ code: status.NOT_FOUND, details: 'round 2020-01-01T00:00:00.000Z not found' });
  });

  it('counts what the check submitted under a raised score_cap', async () => {
    const at = await newRound();
    await score(at, { web: 15 }); // above the cap of 10: stored as 10, all its points
    expect(standingOf(await board(), 'web').lastStatus).toBe(RoundStatus.ROUND_STATUS_UP);
    const before = standingOf(await board(), 'web').points;
    await apply(rule(SlaModel.SLA_MODEL_FLAT), { points: 250 }, { scoreCap: 20 });
    await h.adjustments.rescoreRound({ roundTime: at, reason: 'web is scored out of 20' });
    const web = standingOf(await board(), 'web');
    expect(web).toMatchObject({
      points: before - 100 + 75, // 15 of 20
      lastStatus: RoundStatus.ROUND_STATUS_PARTIAL,
    });
    await apply(rule(SlaModel.SLA_MODEL_FLAT), { points: 250 });
  });

  it('is the white team’s alone', async () => {
    const { secret } = await h.tokens.createToken({
      name: 'viewer',
      role: Role.ROLE_GREEN,
      subtypes: [],
      serviceIds: [],
    });
    const green = connect(h.app.address, secret);
    try {
      expect(
        (
          await grpcError(
            green.adjustments.rescoreRound({ roundTime: new Date(BASE), reason: 'x' }),
          )
        ).code,
      ).toBe(status.PERMISSION_DENIED);
    } finally {
      green.close();
    }
  });
});

describe('WatchScoreboard', () => {
  it('sends the scoreboard, then again after a round is scored and after an adjustment', async () => {
    const controller = new AbortController();
    const stream = h.scoreboard.watchScoreboard(
      { recentRounds: 5 },
      { signal: controller.signal, deadlineMs: 60_000 },
    );
    const next = stream[Symbol.asyncIterator]();
    const nextBoard = async () =>
      ((await next.next()).value as WatchScoreboardResponse).scoreboard!;
    try {
      const first = await nextBoard();
      const total = (b: GetScoreboardResponse, team: string) =>
        b.teams.find((t) => t.teamName === team)!.points;

      const at = await newRound();
      await score(at, { web: 10, mail: 1 });
      let b = await nextBoard();
      while (b.rounds === first.rounds || total(b, 'P') === total(first, 'P')) {
        b = await nextBoard();
      }
      expect(total(b, 'P')).toBe(total(first, 'P') + 100 + 250);
      expect(b.latestRoundTime).toEqual(at);

      const teamS = b.teams.find((t) => t.teamName === 'S')!;
      await h.adjustments.adjustPoints({ teamId: teamS.teamId, points: 7, reason: 'inject' });
      let c = await nextBoard();
      while (total(c, 'S') === teamS.points) c = await nextBoard();
      expect(total(c, 'S')).toBe(teamS.points + 7);
    } finally {
      controller.abort();
      await next.return?.(undefined);
    }
  });

  it('refuses a bad recent_rounds before streaming', async () => {
    const stream = h.scoreboard.watchScoreboard({ recentRounds: 1000 }, { deadlineMs: 10_000 });
    expect(
      await grpcError(
        (async () => {
          for await (const _ of stream) break;
        })(),
      ),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'recent_rounds: must be 0–100, got 1000',
    });
  });
});
