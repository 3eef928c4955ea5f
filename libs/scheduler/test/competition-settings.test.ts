import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import { CompetitionServiceService } from '@checkwire/proto';
import { ManualClock, SchedulerApp } from '../src/index.js';
import { eventually, queue, startWorld, type World } from './harness.js';

// The competition file's `checks` settings, applied through the real scoring server, steer the
// real scheduler: its round interval, the timeout handed to runners, and the attempts.

const clock = new ManualClock(new Date('2026-12-01T12:00:00.000Z'));
let world: World;
let scheduler: SchedulerApp;
let sql: pg.Pool;

const competition = (checks: object) => ({
  name: 'Settings Cup',
  checks,
  teams: [{ name: 'T', services: [{ name: 'web', subtype: 'TCP', url: '127.0.0.1', port: 9 }] }],
});

beforeAll(async () => {
  world = await startWorld();
  sql = new pg.Pool({ connectionString: world.database.url, max: 1 });
  scheduler = await SchedulerApp.start({
    databaseUrl: world.database.url,
    lcHandlers: [],
    scoringAddress: world.scoring.address,
    token: world.schedulerToken,
    // The scheduler's own settings: 10-minute rounds, three attempts, the runner's timeout.
    roundIntervalMs: 600_000,
    checkMaxAttempts: 3,
    tickIntervalMs: 50,
    clock,
  });
});
afterAll(async () => {
  await scheduler.stop();
  await sql.end();
  await world.stop();
});

async function apply(checks: object): Promise<void> {
  const c = createPromiseClient(CompetitionServiceService, world.scoring.address, {
    token: world.adminToken,
  });
  try {
    await c.applyCompetition({ competition: competition(checks) });
  } finally {
    c.close();
  }
}

const rounds = async () =>
  (await sql.query('SELECT DISTINCT round_at FROM check_task ORDER BY round_at')).rows.map(
    (r: { round_at: Date }) => r.round_at.toISOString(),
  );

describe("the competition file's check settings", () => {
  it('set the round interval, the timeout runners get, and the attempts before a give-up', async () => {
    await apply({ intervalSeconds: 60, timeoutSeconds: 7, retries: 1 });
    // The scheduler's own 10-minute rounds would start at 12:00 and then 12:10; the file's
    // 60 seconds start one at 12:00, 12:01, 12:02.
    await eventually(async () => (await rounds()).length === 1);
    clock.advance(60_000);
    await eventually(async () => (await rounds()).length === 2);
    clock.advance(60_000);
    await eventually(async () => (await rounds()).length === 3);
    expect(await rounds()).toEqual([
      '2026-12-01T12:00:00.000Z',
      '2026-12-01T12:01:00.000Z',
      '2026-12-01T12:02:00.000Z',
    ]);

    const q = queue(scheduler.address, world.runnerToken);
    try {
      const { checks } = await q.claimChecks({ runnerId: 'r', maxChecks: 1 });
      expect(checks).toHaveLength(1);
      expect(checks[0]!.timeoutMs).toBe(7000);
      // retries: 1 makes two attempts: the first failure is retried, the second is the last.
      expect((await q.failCheck({ taskId: checks[0]!.taskId, error: 'boom' })).willRetry).toBe(
        true,
      );
      // Due at once by the scheduler's clock (a test clock on 2026-12-01: the real now() less a
      // day was still ahead of it after noon, so this passed only in the morning).
      await sql.query("UPDATE check_task SET run_after = '2000-01-01T00:00:00Z' WHERE id = $1", [
        checks[0]!.taskId,
      ]);
      const again = await q.claimChecks({ runnerId: 'r', maxChecks: 10 });
      const same = again.checks.find((c) => c.taskId === checks[0]!.taskId);
      expect(same?.attempt).toBe(2);
      expect((await q.failCheck({ taskId: same!.taskId, error: 'boom' })).willRetry).toBe(false);
    } finally {
      q.close();
    }

    // Unset again: the scheduler's own settings are back (no timeout for runners: 0).
    await apply({});
    clock.advance(600_000);
    await eventually(async () => (await rounds()).includes('2026-12-01T12:10:00.000Z'));
    const q2 = queue(scheduler.address, world.runnerToken);
    try {
      await eventually(async () => {
        const { checks } = await q2.claimChecks({ runnerId: 'r2', maxChecks: 100 });
        return checks.some((c) => c.timeoutMs === 0);
      });
    } finally {
      q2.close();
    }
  });
});
