import { status as grpcStatus } from '@grpc/grpc-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRequestId } from '@checkwire/checks';
import { connectDatabase, type DatabaseHandle } from '@checkwire/db';
import { createPromiseClient } from '@checkwire/grpc';
import {
  Role,
  ScoringServiceService,
  ServiceErrorKind,
  TokenServiceService,
  type ClaimedCheck,
} from '@checkwire/proto';
import { grpcError, serviceDraft } from '@checkwire/testing';
import { claimDeliveries, finishDeliveries } from '../src/delivery.repository.js';
import { ManualClock, SchedulerApp } from '../src/index.js';
import { RetentionSweeper } from '../src/retention-sweeper.js';
import { eventually, queue, startWorld, type World } from './harness.js';

// The check queue's edges: limited runners, checks given up on, leases that ran out.

let world: World;
let sql: pg.Pool;
let db: DatabaseHandle;
const clock = new ManualClock(new Date('2026-11-18T08:00:30.000Z'));
let scheduler: SchedulerApp;

beforeAll(async () => {
  world = await startWorld();
  sql = new pg.Pool({ connectionString: world.database.url, max: 2 });
  sql.on('error', () => undefined);
  db = connectDatabase({ connectionString: world.database.url, maxConnections: 2 });
  scheduler = await SchedulerApp.start({
    databaseUrl: world.database.url,
    lcHandlers: [],
    scoringAddress: world.scoring.address,
    token: world.schedulerToken,
    roundIntervalMs: 60_000,
    checkMaxAttempts: 2,
    tickIntervalMs: 50,
    clock,
  });
  // The round due at start fires before any service exists; services the tests create join the
  // current round within a tick (the clock moves only for leases, never into another round).
  await eventually(async () => (await sql.query('SELECT 1 FROM schedule_fire')).rows.length > 0);
});
afterAll(async () => {
  await scheduler.stop();
  await db.close();
  await sql.end();
  await world.stop();
});

describe('the check queue', () => {
  it('hands a limited runner only the checks it may score, and lets it settle only those', async () => {
    const { team } = await world.admin.createTeam({ name: 'limits' });
    const make = (subtype: string) =>
      world.admin
        .createService({ service: serviceDraft(team!.id, { external: false, subtype }) })
        .then((r) => r.service!.id);
    const dns = await make('DNS');
    const web = await make('HTTP');
    const tokens = createPromiseClient(TokenServiceService, world.scoring.address, {
      token: world.adminToken,
    });
    const { secret } = await tokens.createToken({
      name: 'dns-runner',
      role: Role.ROLE_CHECK_RUNNER,
      subtypes: ['DNS'],
      serviceIds: [],
    });
    tokens.close();
    await eventually(async () => {
      const { rows } = await sql.query(
        'SELECT count(*)::int AS n FROM check_task WHERE service_id = ANY($1)',
        [[dns, web]],
      );
      return rows[0].n === 2;
    });
    const limited = queue(scheduler.address, secret);
    const full = queue(scheduler.address, world.runnerToken);
    try {
      const claim = { runnerId: 'dns', maxChecks: 10, leaseSeconds: 30, completedTaskIds: [] };
      const { checks } = await limited.claimChecks(claim);
      expect(checks.map((c) => c.serviceId)).toEqual([dns]);
      const { checks: rest } = await full.claimChecks({ ...claim, runnerId: 'any' });
      expect(rest.map((c) => c.serviceId)).toEqual([web]);
      const webTask = rest[0]!.taskId;
      const refusal = {
        code: grpcStatus.PERMISSION_DENIED,
        details: `this check_runner token may not score service ${web}; it is limited to subtypes DNS`,
      };
      expect(await grpcError(limited.completeCheck({ taskId: webTask }))).toEqual(refusal);
      expect(
        await grpcError(limited.failCheck({ taskId: webTask, error: 'x', attempt: 1 })),
      ).toEqual(refusal);
      expect(
        await grpcError(
          limited.claimChecks({ ...claim, completedTaskIds: [checks[0]!.taskId, webTask] }),
        ),
      ).toEqual(refusal);
      const { rows } = await sql.query(
        'SELECT count(*)::int AS n FROM check_task WHERE id = ANY($1) AND finished_at IS NOT NULL',
        [[webTask, checks[0]!.taskId]],
      );
      expect(rows[0].n).toBe(0);
    } finally {
      limited.close();
      full.close();
    }
  });

  it("lets a runner complete only checks it holds, never another runner's", async () => {
    const { team } = await world.admin.createTeam({ name: 'holders' });
    const { service } = await world.admin.createService({
      service: serviceDraft(team!.id, { external: false, subtype: 'TCP' }),
    });
    const q = queue(scheduler.address, world.runnerToken);
    try {
      let taskId = 0;
      await eventually(async () => {
        const { checks } = await q.claimChecks({ runnerId: 'holder', maxChecks: 50 });
        taskId = checks.find((c) => c.serviceId === service!.id)?.taskId ?? 0;
        return taskId > 0;
      });
      // Another runner reports it done: nothing changes (its holder still runs it).
      await q.claimChecks({ runnerId: 'intruder', maxChecks: 0, completedTaskIds: [taskId] });
      const finished = async () =>
        (await sql.query('SELECT finished_at FROM check_task WHERE id = $1', [taskId])).rows[0]
          .finished_at as Date | null;
      expect(await finished()).toBeNull();
      await q.claimChecks({ runnerId: 'holder', completedTaskIds: [taskId] });
      expect(await finished()).not.toBeNull();
    } finally {
      q.close();
    }
  });

  it('gives up on exhausted checks with a score and an error, and is not blocked by a down or vanished service', async () => {
    const { team } = await world.admin.createTeam({ name: 'give-up' });
    const make = () =>
      world.admin
        .createService({ service: serviceDraft(team!.id, { external: false, subtype: 'TCP' }) })
        .then((r) => r.service!.id);
    const gone = await make();
    const stuck = await make();
    await eventually(async () => {
      const { rows } = await sql.query(
        'SELECT count(*)::int AS n FROM check_task WHERE service_id = ANY($1)',
        [[gone, stuck]],
      );
      return rows[0].n === 2;
    });
    const scoring = createPromiseClient(ScoringServiceService, world.scoring.address, {
      token: world.runnerToken,
    });
    const q = queue(scheduler.address, world.runnerToken);
    try {
      // A runner opens both checks, then dies twice (the limit is 2 attempts); one service is
      // taken down meanwhile.
      await scoring.startServiceChecks({ serviceIds: [gone, stuck] });
      const { service } = await world.admin.getService({ id: gone });
      await world.admin.updateService({
        service: { ...service!, administrativelyDown: true, downReason: 'retired' },
        updateMask: ['administratively_down', 'down_reason'],
      });
      // And a check whose service no longer exists, out of attempts, queued before the others:
      // the scoring server refuses it for good, which must not hold the others back.
      const { rows: ghost } = await sql.query(
        `INSERT INTO check_task (service_id, round_at, run_after, attempts)
         VALUES (999999, now() - interval '1 day', now() - interval '1 day', 2) RETURNING id::int AS id`,
      );
      for (let attempt = 0; attempt < 2; attempt++) {
        let mine: number[] = [];
        await eventually(async () => {
          const { checks } = await q.claimChecks({
            runnerId: 'dying',
            maxChecks: 50,
            leaseSeconds: 5,
            completedTaskIds: [],
          });
          mine = [
            ...mine,
            ...checks.filter((c) => [gone, stuck].includes(c.serviceId)).map((c) => c.taskId),
          ];
          return mine.length === 2;
        });
        clock.advance(6_000);
      }
      const key = async (id: number) => {
        const { rows } = await sql.query('SELECT round_at FROM check_task WHERE service_id = $1', [
          id,
        ]);
        return checkRequestId(id, rows[0].round_at as Date);
      };
      await eventually(async () => {
        const { rows } = await sql.query(
          `SELECT count(*)::int AS n FROM check_task WHERE service_id = ANY($1) AND outcome = 'gave_up'`,
          [[gone, stuck, 999999]],
        );
        return rows[0].n === 3;
      });
      const { rows: ghostScores } = await sql.query(
        'SELECT count(*)::int AS n FROM score WHERE service_id = 999999',
      );
      expect(ghostScores[0].n).toBe(0);
      expect(ghost).toHaveLength(1);
      const { rows: scores } = await sql.query(
        'SELECT service_id::int AS service_id, result, error_msg, request_id FROM score WHERE service_id = ANY($1)',
        [[gone, stuck]],
      );
      expect(scores).toEqual([
        {
          service_id: stuck,
          result: 0,
          error_msg: 'check not run after 2 attempts: the runner went away',
          request_id: await key(stuck),
        },
      ]);
      const { serviceErrors } = await world.status.listServiceErrors({
        serviceId: stuck,
        pageSize: 10,
        pageToken: '',
        kind: 0,
      });
      expect(serviceErrors.map((e) => [e.kind, e.message])).toEqual([
        [
          ServiceErrorKind.SERVICE_ERROR_KIND_OTHER,
          'check not run after 2 attempts: the runner went away',
        ],
      ]);
      // The give-up does not know the dead runner's run, so it links its score to none and
      // closes none (a later check may be using it; a stale one is closed as abandoned).
      const { rows: linked } = await sql.query(
        'SELECT check_run_id FROM score WHERE service_id = $1',
        [stuck],
      );
      expect(linked).toEqual([{ check_run_id: null }]);
    } finally {
      scoring.close();
      q.close();
    }
  });
});

describe('failed checks', () => {
  it('are released only by the attempt that holds them', async () => {
    const { team } = await world.admin.createTeam({ name: 'fenced-checks' });
    const { service } = await world.admin.createService({
      service: serviceDraft(team!.id, { external: false, subtype: 'TCP' }),
    });
    const q = queue(scheduler.address, world.runnerToken);
    try {
      const claim = { maxChecks: 50, leaseSeconds: 5, completedTaskIds: [] };
      let first: ClaimedCheck | undefined;
      await eventually(async () => {
        const { checks } = await q.claimChecks({ ...claim, runnerId: 'slow' });
        first ??= checks.find((c) => c.serviceId === service!.id);
        return first !== undefined;
      });
      // Its lease runs out; another runner takes it.
      clock.advance(6_000);
      let second: ClaimedCheck | undefined;
      await eventually(async () => {
        const { checks } = await q.claimChecks({ ...claim, runnerId: 'quick' });
        second ??= checks.find((c) => c.serviceId === service!.id);
        return second !== undefined;
      });
      expect([first!.attempt, second!.attempt]).toEqual([1, 2]);
      // The slow runner gives up late: the check stays with the quick one.
      const late = await q.failCheck({ taskId: first!.taskId, error: 'too slow', attempt: 1 });
      expect(late).toEqual({ willRetry: true, retryAt: undefined });
      const held = async () =>
        (
          await sql.query('SELECT locked_until, last_error FROM check_task WHERE id = $1', [
            first!.taskId,
          ])
        ).rows[0] as { locked_until: Date | null; last_error: string | null };
      expect(await held()).toMatchObject({ last_error: null });
      expect((await held()).locked_until).toBeInstanceOf(Date);
      const own = await q.failCheck({ taskId: first!.taskId, error: 'refused', attempt: 2 });
      expect(own.willRetry).toBe(false);
      expect(await held()).toEqual({ locked_until: null, last_error: 'refused' });
      expect(
        await grpcError(q.failCheck({ taskId: first!.taskId, error: 'x', attempt: -1 })),
      ).toEqual({
        code: grpcStatus.INVALID_ARGUMENT,
        details: 'attempt: must be 0 or more, got -1',
      });
    } finally {
      q.close();
    }
  });
});

describe('periodic deliveries', () => {
  it('are settled only by the lease that holds them', async () => {
    await sql.query(
      `INSERT INTO lc_delivery (service_name, etype, due_at, run_after)
       VALUES ('fenced', 'once_per_1h', now() - interval '1 hour', now() - interval '1 hour')`,
    );
    const t0 = new Date();
    const claim = async (now: Date) =>
      (await claimDeliveries(db.db, now, 1000, 1_000)).filter((d) => d.service_name === 'fenced');
    const [first] = await claim(t0);
    expect(first?.attempts).toBe(1);
    // Its lease runs out; another worker takes it.
    const [second] = await claim(new Date(t0.getTime() + 5_000));
    expect(second).toMatchObject({ id: first!.id, attempts: 2 });
    await finishDeliveries(db.db, [first!], new Date());
    const done = async () =>
      (await sql.query('SELECT done_at FROM lc_delivery WHERE id = $1', [first!.id])).rows[0]
        .done_at as Date | null;
    expect(await done()).toBeNull();
    await finishDeliveries(db.db, [second!], new Date());
    expect(await done()).toBeInstanceOf(Date);
  });
});

describe('retention', () => {
  it('deletes finished queue rows past the retention, never unfinished ones', async () => {
    // The scheduler's own time: its firings (due minutes ago) are too recent to be pruned.
    const now = clock.now();
    const days = (n: number) => new Date(now.getTime() - n * 24 * 3_600_000);
    const { rows: tasks } = await sql.query(
      `INSERT INTO check_task (service_id, round_at, run_after, finished_at, outcome)
       VALUES (1, $1, $1, $1, 'scored'), (1, $2, $2, NULL, NULL), (1, $3, $3, $3, 'scored')
       RETURNING id::int AS id`,
      [days(9), days(8), days(1)],
    );
    const { rows: deliveries } = await sql.query(
      `INSERT INTO lc_delivery (service_name, etype, due_at, run_after, done_at)
       VALUES ('kept', 'once_per_1h', $1, $1, $1), ('kept', 'once_per_1h', $1, $1, NULL)
       RETURNING id::int AS id`,
      [days(9)],
    );
    await sql.query(
      `INSERT INTO schedule_fire (schedule, due_at) VALUES ('retention-old', $1), ('retention-new', $2)`,
      [days(40), days(30)],
    );
    const sweeper = new RetentionSweeper(db.db, new ManualClock(now), 7 * 24 * 3_600_000);
    while ((await sweeper.runOnce()) > 0);
    const left = async (table: string, ids: number[]) =>
      (
        await sql.query(`SELECT id::int AS id FROM ${table} WHERE id = ANY($1) ORDER BY id`, [ids])
      ).rows.map((r: { id: number }) => r.id);
    expect(
      await left(
        'check_task',
        tasks.map((t: { id: number }) => t.id),
      ),
    ).toEqual([tasks[1].id, tasks[2].id]);
    expect(
      await left(
        'lc_delivery',
        deliveries.map((d: { id: number }) => d.id),
      ),
    ).toEqual([deliveries[1].id]);
    const { rows: fires } = await sql.query(
      `SELECT schedule FROM schedule_fire WHERE schedule LIKE 'retention-%'`,
    );
    expect(fires).toEqual([{ schedule: 'retention-new' }]);
    // The scheduler's current firings stay.
    const { rows: current } = await sql.query(
      `SELECT count(*)::int AS n FROM schedule_fire WHERE schedule LIKE 'checks:%'`,
    );
    expect(current[0].n).toBeGreaterThan(0);
    // Retention 0 keeps everything, even what is a century old.
    await sql.query(
      `INSERT INTO check_task (service_id, round_at, run_after, finished_at, outcome)
       VALUES (1, $1, $1, $1, 'scored')`,
      [days(36_500)],
    );
    const before = await sql.query('SELECT count(*)::int AS n FROM check_task');
    const keeper = new RetentionSweeper(db.db, new ManualClock(now), 0);
    expect(await keeper.runOnce()).toBe(0);
    expect((await sql.query('SELECT count(*)::int AS n FROM check_task')).rows).toEqual(
      before.rows,
    );
  });
});
