import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRequestId } from '@checkwire/checks';
import { LcService, serveLcService, type CallbackContext } from '@checkwire/lc-sdk';
import type { RunningGrpcServer } from '@checkwire/grpc';
import { serviceDraft } from '@checkwire/testing';
import { ManualClock, SchedulerApp } from '../src/index.js';
import { eventually, queue, registry, startWorld, type World } from './harness.js';

const HOUR = 3_600_000;
// A Monday 01:00 UTC: 1 h into every 3 h/12 h/24 h slot and into its 7 d and 30 d slots, so one
// more hour rolls over only the 1 h cadence.
const T0 = new Date('2026-11-16T01:00:00.000Z');

/** Counts every periodic callback it gets, by etype/oid/sid (each taking `delayMs`). */
class CountingService extends LcService {
  readonly seen = new Map<string, number>();
  inFlight = 0;
  maxInFlight = 0;
  constructor(delayMs = 0) {
    super('counting');
    const count = async (ctx: CallbackContext) => {
      this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      this.inFlight--;
      const key = `${ctx.etype}|${ctx.oid}|${ctx.sid}`;
      this.seen.set(key, (this.seen.get(key) ?? 0) + 1);
      return true;
    };
    for (const scope of ['Globally', 'PerOrg', 'PerSensor']) {
      for (const n of ['1Hour', '3Hour', '12Hour', '24Hour', '7Day', '30Day']) {
        (this as unknown as Record<string, unknown>)[`every${n}${scope}`] = count;
      }
    }
  }
  total(): number {
    return [...this.seen.values()].reduce((a, b) => a + b, 0);
  }
}

let world: World;
let handler: RunningGrpcServer;
const counting = new CountingService();
const clock = new ManualClock(T0);
let sql: pg.Pool;

function schedulersFor(
  lcHandlers: { name: string; handler: string }[],
  n: number,
  roundIntervalMs = 0,
) {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      SchedulerApp.start({
        databaseUrl: world.database.url,
        lcHandlers,
        scoringAddress: world.scoring.address,
        token: world.schedulerToken,
        roundIntervalMs,
        checkMaxAttempts: 3,
        tickIntervalMs: 50,
        clock,
        replicaId: `replica-${i}`,
      }),
    ),
  );
}

beforeAll(async () => {
  world = await startWorld();
  handler = await serveLcService(counting);
  sql = new pg.Pool({ connectionString: world.database.url, max: 2 });
  sql.on('error', () => undefined); // the database is dropped at the end
});
afterAll(async () => {
  await sql.end();
  await handler.shutdown(100);
  await world.stop();
});

async function settle(expectedTotal: number): Promise<void> {
  await eventually(() => counting.total() >= expectedTotal);
  // Nothing more arrives (a duplicate would show up now).
  await new Promise((r) => setTimeout(r, 300));
}

describe('periodic LC callbacks', () => {
  it('fire once per cadence and target across three replicas, then catch up once after downtime', async () => {
    // Orgs and sensors first, through a scheduler that ticks no LC service.
    const [registrar] = await schedulersFor([], 1);
    const reg = registry(registrar!.address, world.gatewayToken);
    await reg.recordOrgInstalled({ serviceName: 'counting', oid: 'org-a', jwt: 'jwt-a' });
    await reg.recordOrgInstalled({ serviceName: 'counting', oid: 'org-b', jwt: 'jwt-b' });
    await reg.recordOrgInstalled({ serviceName: 'counting', oid: 'org-gone', jwt: '' });
    await reg.recordOrgUninstalled({ serviceName: 'counting', oid: 'org-gone' });
    await reg.recordSensors({
      serviceName: 'counting',
      oid: 'org-a',
      sensorIds: ['a1', 'a2', 'a3'],
    });
    await reg.recordSensors({ serviceName: 'counting', oid: 'org-b', sensorIds: ['b1', 'b2'] });
    await reg.recordSensors({ serviceName: 'counting', oid: 'org-gone', sensorIds: ['g1'] });
    expect(
      (await reg.listOrgs({ serviceName: 'counting' })).orgs.map((o) => [o.oid, o.sensorCount]),
    ).toEqual([
      ['org-a', 3],
      ['org-b', 2],
    ]);
    reg.close();
    await registrar!.stop();

    const replicas = await schedulersFor([{ name: 'counting', handler: handler.address }], 3);
    try {
      // Every cadence is due at start: 6 × (1 global + 2 orgs + 5 sensors), each exactly once.
      await settle(48);
      expect(counting.total()).toBe(48);
      expect([...counting.seen.values()].every((n) => n === 1)).toBe(true);
      expect([...counting.seen.keys()].filter((k) => k.startsWith('sensor_per_1h')).sort()).toEqual(
        ['org-a|a1', 'org-a|a2', 'org-a|a3', 'org-b|b1', 'org-b|b2'].map(
          (s) => `sensor_per_1h|${s}`,
        ),
      );
      expect(counting.seen.has('org_per_1h|org-gone|')).toBe(false);

      // An hour later only the 1 h cadence is due again.
      counting.seen.clear();
      clock.advance(HOUR);
      await settle(8);
      expect(counting.total()).toBe(8);
      expect([...counting.seen.keys()].every((k) => k.includes('_1h|'))).toBe(true);
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }

    // Down for five hours: back, each missed cadence fires once (1 h and 3 h), not five times.
    counting.seen.clear();
    clock.advance(5 * HOUR);
    const [back] = await schedulersFor([{ name: 'counting', handler: handler.address }], 1);
    try {
      await settle(16);
      expect(counting.total()).toBe(16);
      expect([...counting.seen.keys()].filter((k) => k.includes('_1h|'))).toHaveLength(8);
      expect([...counting.seen.keys()].filter((k) => k.includes('_3h|'))).toHaveLength(8);
      expect([...counting.seen.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await back!.stop();
    }
  });

  it('deliver in many small batches, every callback exactly once across replicas', async () => {
    const many = new CountingService(5);
    const manyHandler = await serveLcService(many);
    const [registrar] = await schedulersFor([], 1);
    const reg = registry(registrar!.address, world.gatewayToken);
    await reg.recordOrgInstalled({ serviceName: 'many', oid: 'org-m', jwt: 'jwt-m' });
    const sensors = Array.from({ length: 40 }, (_, i) => `m${i}`);
    await reg.recordSensors({ serviceName: 'many', oid: 'org-m', sensorIds: sensors });
    reg.close();
    await registrar!.stop();
    // Batches of 7 at 3 calls in flight: dozens of claims, each while the last calls are out.
    const replicas = await Promise.all(
      ['m-0', 'm-1', 'm-2'].map((replicaId) =>
        SchedulerApp.start({
          databaseUrl: world.database.url,
          lcHandlers: [{ name: 'many', handler: manyHandler.address }],
          scoringAddress: world.scoring.address,
          token: world.schedulerToken,
          roundIntervalMs: 0,
          tickIntervalMs: 50,
          clock,
          replicaId,
          delivery: { batchSize: 7, concurrency: 3 },
        }),
      ),
    );
    try {
      // Every cadence is due at start: 6 × (1 global + 1 org + 40 sensors).
      const expected = 6 * (1 + 1 + sensors.length);
      await eventually(() => many.total() >= expected);
      await new Promise((r) => setTimeout(r, 300));
      expect(many.total()).toBe(expected);
      expect([...many.seen.values()].every((n) => n === 1)).toBe(true);
      // A batch is claimed while the last calls of the one before are out, never more of them.
      expect(many.maxInFlight).toBeLessThanOrEqual(3 * replicas.length);
      const { rows } = await sql.query(
        `SELECT count(*)::int AS n FROM lc_delivery WHERE service_name = 'many' AND done_at IS NULL`,
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
      await manyHandler.shutdown(100);
    }
  });
});

describe('check rounds and the queue', () => {
  it('queue one check per enabled, not-down, internal service per round, once across replicas', async () => {
    const { team } = await world.admin.createTeam({ name: 'rounds' });
    const make = (fields: object) =>
      world.admin
        .createService({ service: serviceDraft(team!.id, { external: false, ...fields }) })
        .then((r) => r.service!.id);
    const a = await make({});
    const b = await make({});
    await make({ external: true });
    await make({ administrativelyDown: true, downReason: 'maintenance' });

    clock.set(new Date(T0.getTime() + 10 * HOUR));
    const replicas = await schedulersFor([], 3, 60_000);
    const tasks = async () =>
      (await sql.query('SELECT service_id, round_at FROM check_task ORDER BY round_at, service_id'))
        .rows as {
        service_id: number;
        round_at: Date;
      }[];
    await eventually(async () => (await tasks()).length === 2);
    clock.advance(60_000);
    await eventually(async () => (await tasks()).length === 4);
    await new Promise((r) => setTimeout(r, 300));
    const rows = await tasks();
    expect(rows.map((r) => Number(r.service_id))).toEqual([a, b, a, b]);
    expect(rows[2]!.round_at.getTime() - rows[0]!.round_at.getTime()).toBe(60_000);

    // A runner leases both checks and dies; after the lease another runner gets them again.
    const q = queue(replicas[0]!.address, world.runnerToken);
    const first = await q.claimChecks({
      runnerId: 'r1',
      maxChecks: 10,
      leaseSeconds: 5,
      completedTaskIds: [],
    });
    expect(first.checks.map((c) => c.attempt)).toEqual([1, 1, 1, 1]);
    expect(
      (
        await q.claimChecks({
          runnerId: 'r2',
          maxChecks: 10,
          leaseSeconds: 5,
          completedTaskIds: [],
        })
      ).checks,
    ).toEqual([]);
    clock.advance(6_000);
    const second = await q.claimChecks({
      runnerId: 'r2',
      maxChecks: 10,
      leaseSeconds: 5,
      completedTaskIds: [],
    });
    expect(second.checks.map((c) => [c.taskId, c.attempt])).toEqual(
      first.checks.map((c) => [c.taskId, 2]),
    );
    // r2 scores the first and completes it; the other fails twice more and is given up on.
    const [failing, other1, ...others] = second.checks;
    await q.completeCheck({ taskId: other1!.taskId });
    // The rest are reported done with the next claim.
    const none = await q.claimChecks({
      runnerId: 'r2',
      maxChecks: 10,
      leaseSeconds: 5,
      completedTaskIds: others.map((c) => c.taskId),
    });
    expect(none.checks).toEqual([]);
    expect(
      (await q.failCheck({ taskId: failing!.taskId, error: 'scoring unreachable', attempt: 0 }))
        .willRetry,
    ).toBe(true);
    clock.advance(10 * 60_000);
    const third = await q.claimChecks({
      runnerId: 'r3',
      maxChecks: 10,
      leaseSeconds: 5,
      completedTaskIds: [],
    });
    const again = third.checks.find((c) => c.taskId === failing!.taskId)!;
    expect(again.attempt).toBe(3);
    expect(
      (
        await q.failCheck({
          taskId: failing!.taskId,
          error: 'scoring still unreachable',
          attempt: 3,
        })
      ).willRetry,
    ).toBe(false);

    // The scheduler scores it 0 with the error, under the round's key: exactly one score.
    const key = checkRequestId(failing!.serviceId, failing!.roundTime!);
    await eventually(async () => {
      const { scores } = await world.status.listScores({
        serviceId: failing!.serviceId,
        pageSize: 50,
        pageToken: '',
      });
      return scores.some((s) => s.requestId === key);
    });
    const { scores } = await world.status.listScores({
      serviceId: failing!.serviceId,
      pageSize: 50,
      pageToken: '',
    });
    const given = scores.filter((s) => s.requestId === key);
    expect(given).toHaveLength(1);
    expect(given[0]).toMatchObject({
      result: 0,
      errorMsg: 'check not run after 3 attempts: scoring still unreachable',
    });
    // The task is marked given up when the sweeper's transaction commits, just after the score.
    await eventually(async () => {
      const { rows } = await sql.query('SELECT outcome FROM check_task WHERE id = $1', [
        failing!.taskId,
      ]);
      return rows[0]?.outcome === 'gave_up';
    });
    q.close();
    await Promise.all(replicas.map((r) => r.stop()));
  });
});
