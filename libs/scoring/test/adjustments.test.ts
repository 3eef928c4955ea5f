import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpcError, startHarness, type Harness } from './harness.js';

// The white team's corrections on a real server: ± points and flipped results change the
// scoreboard, every one is in the audit log with who, when, why, before and after, and the log
// cannot be edited, not even in SQL.

let h: Harness;
let teamA: number;
let teamB: number;
let web: number;
const ROUND = new Date('2026-03-01T10:00:00.000Z');

beforeAll(async () => {
  h = await startHarness();
  await h.competitions.applyCompetition({
    competition: {
      name: 'Adjusted Cup',
      teams: ['A', 'B'].map((name) => ({
        name,
        services: [{ name: 'web', subtype: 'HTTP', external: true, points: 100 }],
      })),
    },
  });
  const { teams } = await h.admin.listTeams({});
  teamA = teams.find((t) => t.name === 'A')!.id;
  teamB = teams.find((t) => t.name === 'B')!.id;
  const { services } = await h.admin.listServices({});
  web = services.find((s) => s.teamId === teamA)!.id;
  const webB = services.find((s) => s.teamId === teamB)!.id;
  // One round (as the scheduler records it): A up, B down.
  await h.sql.query('INSERT INTO round VALUES ($1)', [ROUND]);
  await h.scoring.finishServiceChecks({
    entries: [
      { serviceId: web, result: 1, requestId: 'a', roundTime: ROUND },
      { serviceId: webB, result: 0, requestId: 'b', roundTime: ROUND },
    ],
  });
});
afterAll(() => h.stop());

const standing = async () =>
  Object.fromEntries(
    (await h.scoreboard.getScoreboard({})).teams.map((t) => [
      t.teamName,
      { rank: t.rank, points: t.points, adjustment: t.adjustmentPoints, n: t.adjustments.length },
    ]),
  );

describe('adjustments', () => {
  it('adds and takes points with a reason; the scoreboard shows adjusted totals and lists them', async () => {
    expect(await standing()).toEqual({
      A: { rank: 1, points: 100, adjustment: 0, n: 0 },
      B: { rank: 2, points: 0, adjustment: 0, n: 0 },
    });
    const { adjustment, audit } = await h.adjustments.adjustPoints({
      teamId: teamB,
      points: 150,
      reason: 'inject 3 answered',
    });
    expect(adjustment).toMatchObject({ teamId: teamB, points: 150, reason: 'inject 3 answered' });
    expect(audit).toMatchObject({
      actor: 'bootstrap admin (token 1)',
      action: 'adjust_points',
      subject: `team ${teamB} (B)`,
      reason: 'inject 3 answered',
      beforeJson: '{"adjustment_points":0}',
      afterJson: '{"points":150,"adjustment_points":150}',
    });
    await h.adjustments.adjustPoints({ teamId: teamB, points: -20, reason: 'SLA waiver revoked' });
    expect(await standing()).toEqual({
      B: { rank: 1, points: 130, adjustment: 130, n: 2 },
      A: { rank: 2, points: 100, adjustment: 0, n: 0 },
    });
  });

  it('refuses a zero, an unknown team or no reason, writing nothing', async () => {
    const before = [await h.count('adjustment'), await h.count('audit_log')];
    expect(
      await grpcError(h.adjustments.adjustPoints({ teamId: teamA, points: 0, reason: 'x' })),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'points: must be a non-zero whole number within ±1000000, got 0',
    });
    expect(
      await grpcError(h.adjustments.adjustPoints({ teamId: teamA, points: 5, reason: ' ' })),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'reason: must not be empty',
    });
    expect(
      await grpcError(h.adjustments.adjustPoints({ teamId: 999_999, points: 5, reason: 'x' })),
    ).toEqual({
      code: status.NOT_FOUND,
      details: 'team 999999 not found',
    });
    expect([await h.count('adjustment'), await h.count('audit_log')]).toEqual(before);
  });

  it("flips a round's result either way, and the totals follow", async () => {
    const flipped = await h.adjustments.flipCheckResult({
      serviceId: web,
      roundTime: ROUND,
      reason: 'checker misread the page',
    });
    expect(flipped).toMatchObject({ up: false, points: 0 });
    expect(flipped.audit).toMatchObject({
      action: 'flip_check_result',
      subject: `service ${web} (A/web) in round 2026-03-01T10:00:00.000Z`,
      beforeJson: '{"up":true,"points":100}',
      afterJson: '{"up":false,"points":0}',
    });
    expect((await standing()).A).toEqual({ rank: 2, points: 0, adjustment: 0, n: 0 });
    await h.adjustments.flipCheckResult({ serviceId: web, roundTime: ROUND, reason: 'back' });
    expect((await standing()).A).toEqual({ rank: 2, points: 100, adjustment: 0, n: 0 });
    expect(
      await grpcError(
        h.adjustments.flipCheckResult({
          serviceId: web,
          roundTime: new Date('2026-03-01T11:00:00Z'),
          reason: 'x',
        }),
      ),
    ).toEqual({
      code: status.NOT_FOUND,
      details: `a score of service ${web} in round 2026-03-01T11:00:00.000Z not found`,
    });
  });

  it('keeps an append-only audit log, newest first, paged, with the competition applied in it', async () => {
    const first = await h.adjustments.listAuditLog({ pageSize: 2 });
    expect(first.entries.map((e) => e.action)).toEqual(['flip_check_result', 'flip_check_result']);
    const rest = await h.adjustments.listAuditLog({
      pageSize: 100,
      pageToken: first.nextPageToken,
    });
    expect(rest.entries.map((e) => e.action)).toEqual([
      'adjust_points',
      'adjust_points',
      'apply_competition',
    ]);
    expect(rest.nextPageToken).toBe('');
    expect(rest.entries.at(-1)).toMatchObject({
      subject: 'competition "Adjusted Cup"',
      reason: 'applied a competition file: 5 changes',
    });
    for (const statement of [
      'UPDATE audit_log SET reason = $1',
      'DELETE FROM audit_log WHERE reason <> $1',
    ]) {
      await expect(h.sql.query(statement, ['rewritten'])).rejects.toThrow(
        'audit_log is append-only',
      );
    }
    await expect(h.sql.query('TRUNCATE audit_log CASCADE')).rejects.toThrow(
      'audit_log is append-only',
    );
    expect(await h.count('audit_log')).toBe(5);
  });
});

describe('service edits', () => {
  it('are in the audit log: who, which fields from what to what, a password only as set', async () => {
    const { service } = await h.admin.getService({ id: web });
    await h.admin.updateService({
      service: {
        ...service!,
        administrativelyDown: true,
        downReason: 'rebuilding the web server',
        password: 'hunter2',
      },
      updateMask: ['administratively_down', 'down_reason', 'password', 'port'],
    });
    const [entry] = (await h.adjustments.listAuditLog({ pageSize: 1 })).entries;
    expect(entry).toMatchObject({
      actor: expect.stringMatching(/\(token \d+\)$/),
      action: 'update_service',
      subject: `service ${web} (A/web)`,
      reason: 'rebuilding the web server',
    });
    // The port was named but did not change: left out.
    expect(JSON.parse(entry!.beforeJson)).toEqual({
      administratively_down: false,
      down_reason: '',
      password: '',
    });
    expect(JSON.parse(entry!.afterJson)).toEqual({
      administratively_down: true,
      down_reason: 'rebuilding the web server',
      password: '(set)',
    });
    expect(entry!.afterJson).not.toContain('hunter2');

    // The same values again change nothing, and record nothing.
    await h.admin.updateService({
      service: { ...service!, administrativelyDown: true },
      updateMask: ['administratively_down'],
    });
    const [latest] = (await h.adjustments.listAuditLog({ pageSize: 1 })).entries;
    expect(latest!.id).toBe(entry!.id);
  });
});
