import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckOutcome, ServiceErrorKind, type ClaimedCheck } from '@checkwire/proto';
import { serviceDraft } from '@checkwire/testing';
import { ManualClock, SchedulerApp } from '../src/index.js';
import { eventually, queue, startWorld, type World } from './harness.js';

// Round lines, on two replicas of the real scheduler (a hand-moved clock, 10-minute rounds) over
// the real scoring server: one "queued" line when a round starts and one summary once it is
// settled, each exactly once across the replicas; services that appear mid-round join it.

const ROUND = 600_000;
const clock = new ManualClock(new Date('2026-12-01T16:40:30.000Z'));
const { UP, DOWN, SKIPPED } = {
  UP: CheckOutcome.CHECK_OUTCOME_UP,
  DOWN: CheckOutcome.CHECK_OUTCOME_DOWN,
  SKIPPED: CheckOutcome.CHECK_OUTCOME_SKIPPED,
};

let world: World;
let sql: pg.Pool;
let replicas: SchedulerApp[] = [];
let teamId: number;
/** Internal services checked every round. */
const checked: number[] = [];
/** An internal service administratively down until the last test brings it back. */
let resting: number;
/** Every round line, from either replica (as JSON objects: LOG_FORMAT=json). */
const records: Record<string, unknown>[] = [];
/** The same, as `component: message`. */
const lines: string[] = [];

const currentRound = () => new Date(Math.floor(clock.now().getTime() / ROUND) * ROUND);
const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
const linesOf = (round: Date, kind: 'queued' | 'settled' | 'joined') =>
  lines.filter(
    (l) =>
      l.startsWith(`scheduler: round ${iso(round)}`) &&
      (kind === 'queued'
        ? l.includes(' queued: ')
        : kind === 'joined'
          ? l.includes('more check')
          : l.includes(' up, ')),
  );

/** Claims (as one runner, on the first replica) every check of the current round's services. */
async function claimAll(ids: number[], leaseSeconds = 120): Promise<ClaimedCheck[]> {
  const q = queue(replicas[0]!.address, world.runnerToken);
  const mine: ClaimedCheck[] = [];
  try {
    await eventually(async () => {
      const { checks } = await q.claimChecks({ runnerId: 'r', maxChecks: 100, leaseSeconds });
      mine.push(...checks.filter((c) => ids.includes(c.serviceId)));
      return mine.length === ids.length;
    });
  } finally {
    q.close();
  }
  return mine.sort((a, b) => a.serviceId - b.serviceId);
}

beforeAll(async () => {
  world = await startWorld();
  sql = new pg.Pool({ connectionString: world.database.url, max: 2 });
  sql.on('error', () => undefined);
  const { team } = await world.admin.createTeam({ name: 'rounds' });
  teamId = team!.id;
  const make = async (fields: object = {}) =>
    (
      await world.admin.createService({
        service: serviceDraft(teamId, { external: false, subtype: 'TCP', ...fields }),
      })
    ).service!.id;
  for (let i = 0; i < 7; i++) checked.push(await make());
  resting = await make({ administrativelyDown: true, downReason: 'resting' });
  await make({ external: true });
  replicas = await Promise.all(
    [0, 1].map((i) =>
      SchedulerApp.start({
        databaseUrl: world.database.url,
        lcHandlers: [],
        scoringAddress: world.scoring.address,
        token: world.schedulerToken,
        roundIntervalMs: ROUND,
        checkMaxAttempts: 1,
        tickIntervalMs: 50,
        clock,
        replicaId: `replica-${i}`,
        roundLog: {
          level: 'debug',
          format: 'json',
          write: (_level, line) => {
            const record = JSON.parse(line) as Record<string, unknown>;
            records.push(record);
            lines.push(`${String(record.component)}: ${String(record.msg)}`);
          },
        },
      }),
    ),
  );
});
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await sql.end();
  await world.stop();
});

describe('round lines', () => {
  it("log a settled round once across two replicas, with each check's outcome", async () => {
    const round = currentRound();
    await eventually(() => linesOf(round, 'queued').length > 0);
    const [t1, t2, t3, t4, t5, t6, t7] = await claimAll(checked);
    const [q0, q1] = replicas.map((r) => queue(r.address, world.runnerToken));
    const kind = (errorKind: ServiceErrorKind) => ({ outcome: DOWN, errorKind });
    try {
      // Settled through both replicas at once: the last completion decides, whichever it is.
      await Promise.all([
        q0!.claimChecks({
          runnerId: 'r',
          maxChecks: 1,
          completedChecks: [
            { taskId: t1!.taskId, outcome: UP },
            { taskId: t2!.taskId, outcome: UP },
            { taskId: t3!.taskId, ...kind(ServiceErrorKind.SERVICE_ERROR_KIND_CONNECTION) },
            { taskId: t4!.taskId, ...kind(ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT) },
          ],
        }),
        q1!.completeCheck({
          taskId: t5!.taskId,
          ...kind(ServiceErrorKind.SERVICE_ERROR_KIND_CONTENT),
        }),
        q1!.completeCheck({ taskId: t6!.taskId, outcome: SKIPPED }),
        // A runner from before outcomes: completed, "not reported".
        q1!.claimChecks({ runnerId: 'r', maxChecks: 1, completedTaskIds: [t7!.taskId] }),
      ]);
    } finally {
      q0!.close();
      q1!.close();
    }
    // Each replica logs before it answers: every line is in.
    expect(linesOf(round, 'queued')).toEqual([`scheduler: round ${iso(round)} queued: 7 checks`]);
    expect(linesOf(round, 'settled')).toEqual([
      `scheduler: round ${iso(round)}: 7 checks, 2 up, 1 down, 2 errors (1 timeout, 1 content), 1 skipped, 1 not reported in 30.0 s`,
    ]);
    const settled = records.filter((r) => r.round === iso(round) && 'up' in r);
    expect(settled).toEqual([
      {
        time: expect.any(String) as unknown,
        level: 'info',
        component: 'scheduler',
        msg: linesOf(round, 'settled')[0]!.slice('scheduler: '.length),
        round: iso(round),
        checks: 7,
        up: 2,
        down: 1,
        errors: 2,
        timeout: 1,
        content: 1,
        credentials: 0,
        other: 0,
        no_runner: 0,
        skipped: 1,
        unreported: 1,
        durationMs: 30_000,
      },
    ]);
  });

  it('log each round exactly once when its last checks are completed on both replicas at once', async () => {
    for (let i = 0; i < 5; i++) {
      clock.advance(ROUND);
      const round = currentRound();
      await eventually(() => linesOf(round, 'queued').length > 0);
      const claimed = await claimAll(checked);
      const [q0, q1] = replicas.map((r) => queue(r.address, world.runnerToken));
      try {
        await Promise.all(
          [q0!, q1!].map((q, half) =>
            q.claimChecks({
              runnerId: 'r',
              maxChecks: 1,
              completedChecks: claimed
                .filter((_, j) => j % 2 === half)
                .map((c) => ({ taskId: c.taskId, outcome: UP })),
            }),
          ),
        );
      } finally {
        q0!.close();
        q1!.close();
      }
      expect(linesOf(round, 'settled')).toEqual([
        `scheduler: round ${iso(round)}: 7 checks, 7 up, 0 down, 0 errors in 30.0 s`,
      ]);
    }
  });

  it('log a round whose runner died once its last check is given up', async () => {
    clock.advance(ROUND);
    const round = currentRound();
    await eventually(() => linesOf(round, 'queued').length > 0);
    const [dead, ...done] = await claimAll(checked, 5);
    const q1 = queue(replicas[1]!.address, world.runnerToken);
    try {
      await q1.claimChecks({
        runnerId: 'r',
        maxChecks: 1,
        completedChecks: done.map((c) => ({ taskId: c.taskId, outcome: UP })),
      });
    } finally {
      q1.close();
    }
    expect(linesOf(round, 'settled')).toEqual([]);
    // Its lease runs out; with one attempt allowed, the give-up sweepers (both replicas) take it.
    clock.advance(6_000);
    await eventually(() => linesOf(round, 'settled').length > 0);
    const { rows } = await sql.query('SELECT outcome, verdict FROM check_task WHERE id = $1', [
      dead!.taskId,
    ]);
    expect(rows).toEqual([{ outcome: 'gave_up', verdict: 'other' }]);
    expect(linesOf(round, 'settled')).toEqual([
      `scheduler: round ${iso(round)}: 7 checks, 6 up, 0 down, 1 error (1 other) in 36.0 s`,
    ]);
  });
});

describe('services that appear mid-round', () => {
  it('are checked within a tick, in that round, exactly once across two replicas', async () => {
    const round = currentRound();
    const { service } = await world.admin.createService({
      service: serviceDraft(teamId, { external: false, subtype: 'TCP' }),
    });
    const fresh = service!.id;
    const { service: down } = await world.admin.getService({ id: resting });
    await world.admin.updateService({
      service: { ...down!, administrativelyDown: false, downReason: '' },
      updateMask: ['administratively_down', 'down_reason'],
    });
    const tasksOf = async (id: number) =>
      (
        await sql.query(
          'SELECT id::int AS id, round_at, run_after FROM check_task WHERE service_id = $1 ORDER BY round_at',
          [id],
        )
      ).rows as { id: number; round_at: Date; run_after: Date }[];
    // No clock movement: the round that started ten minutes' worth of ticks ago takes them in.
    const claimed = await claimAll([fresh, resting]);
    expect(claimed.map((c) => [c.serviceId, c.roundTime])).toEqual([
      [resting, round],
      [fresh, round],
    ]);
    // Both replicas tick: one task each, queued (and logged) by one of them.
    expect((await tasksOf(fresh)).map((t) => t.round_at)).toEqual([round]);
    expect((await tasksOf(resting)).map((t) => t.round_at)).toEqual([round]);
    const joined = linesOf(round, 'joined')
      .flatMap((l) => /services? ([\d, ]+)\)$/.exec(l)![1]!.split(', '))
      .map(Number)
      .sort((a, b) => a - b);
    expect(joined).toEqual([resting, fresh]);

    // The round was logged already (its seven checks were settled): never a second time.
    const before = linesOf(round, 'settled');
    expect(before).toHaveLength(1);
    const q = queue(replicas[1]!.address, world.runnerToken);
    try {
      await q.claimChecks({
        runnerId: 'r',
        maxChecks: 1,
        completedChecks: claimed.map((c) => ({ taskId: c.taskId, outcome: UP })),
      });
    } finally {
      q.close();
    }
    expect(linesOf(round, 'settled')).toEqual(before);

    // The next round checks them once more, like every other service: one task each.
    clock.advance(ROUND);
    const next = currentRound();
    await eventually(() => linesOf(next, 'queued').length > 0);
    expect(linesOf(next, 'queued')).toEqual([`scheduler: round ${iso(next)} queued: 9 checks`]);
    expect((await tasksOf(fresh)).map((t) => t.round_at)).toEqual([round, next]);
    expect(linesOf(next, 'joined')).toEqual([]);
  });
});
