import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGrpcServer } from '@checkwire/grpc';
import { LcApiClient } from '@checkwire/lc-api';
import { LcCloudStandin, newOid } from '@checkwire/lc-cloud-standin';
import {
  InteractiveService,
  Job,
  response,
  serveLcService,
  type CallbackContext,
} from '@checkwire/lc-sdk';
import { ManualClock, SchedulerApp } from '../src/index.js';
import { eventually, registry, startWorld, type World } from './harness.js';

// The scheduler's own org_per_1h for an interactive handler (lcservice's InteractiveService hooks
// it): the D&R rule svc-<name>-ex is put back with the org's stored JWT, and the sensor tasks of
// the handler's answer go out with investigation ids made from the route's secret, against the
// stand-in of LimaCharlie's cloud.

const SECRET = 'scheduler-secret';
const RULE = 'svc-triage-ex';
const HOUR = 3_600_000;
// A Monday 01:00 UTC, as scheduler.test.ts: one more hour rolls over only the 1 h cadences.
const T0 = new Date('2026-11-16T01:00:00.000Z');
/** lcservice's key: md5 of "b'<secret>'/<name>", first 8 hex characters. */
const key = (name: string) =>
  createHash('md5').update(`b'${SECRET}'/${name}`).digest('hex').slice(0, 8);

/** Tasks every sensor of the org each hour, under a new job. */
class Triage extends InteractiveService {
  readonly jobs: string[] = [];
  readonly sensors = new Map<string, string[]>();
  /** Answers asking to be asked again (lcservice's retry), tasks and all, before a good one. */
  retries = 0;
  constructor() {
    super('triage');
    this.replyCallback('processes', () => true);
  }
  override every1HourPerOrg(ctx: CallbackContext) {
    const job = new Job('hourly sweep');
    this.jobs.push(job.id);
    for (const sid of this.sensors.get(ctx.oid) ?? [])
      ctx.task(sid, ['os_processes'], 'processes', 'hourly/1', job);
    if (this.retries > 0) {
      this.retries -= 1;
      return response({ success: false, retry: true, error: 'not yet', jobs: [job] });
    }
    return response({ jobs: [job] });
  }
}

const PERMS = ['sensor.task', 'dr.set.replicant', 'dr.del.replicant'];
const triage = new Triage();
const clock = new ManualClock(T0);
let world: World;
let cloud: LcCloudStandin;
let handler: RunningGrpcServer;
let sql: pg.Pool;
const org = newOid();
let sid: string;

async function startScheduler(secret: string | undefined) {
  return SchedulerApp.start({
    databaseUrl: world.database.url,
    lcHandlers: [
      { name: 'triage', handler: handler.address, ...(secret === undefined ? {} : { secret }) },
    ],
    lcApi: { baseUrl: cloud.url },
    scoringAddress: world.scoring.address,
    token: world.schedulerToken,
    roundIntervalMs: 0,
    tickIntervalMs: 50,
    clock,
  });
}

/** The org_per_1h of the current hour has been settled (delivered, retried or dropped). */
async function hourlySettled(oid: string): Promise<{ done: boolean; lastError: string | null }> {
  const { rows } = await sql.query(
    `SELECT done_at IS NOT NULL AS done, last_error FROM lc_delivery
     WHERE etype = 'org_per_1h' AND oid = $1 AND due_at = $2`,
    [oid, new Date(Math.floor(clock.now().getTime() / HOUR) * HOUR)],
  );
  const r = rows[0] as { done: boolean; last_error: string | null } | undefined;
  return { done: r?.done ?? false, lastError: r?.last_error ?? null };
}

beforeAll(async () => {
  world = await startWorld();
  cloud = await LcCloudStandin.start();
  sid = cloud.addSensor(org);
  triage.sensors.set(org, [sid]);
  handler = await serveLcService(triage);
  sql = new pg.Pool({ connectionString: world.database.url, max: 2 });
  sql.on('error', () => undefined); // the database is dropped at the end
  // The org first, through a scheduler that ticks no LC service.
  const registrar = await SchedulerApp.start({
    databaseUrl: world.database.url,
    lcHandlers: [],
    scoringAddress: world.scoring.address,
    token: world.schedulerToken,
    roundIntervalMs: 0,
    clock,
  });
  const reg = registry(registrar.address, world.gatewayToken);
  await reg.recordOrgInstalled({
    serviceName: 'triage',
    oid: org,
    jwt: cloud.issueJwt({ oid: org, perms: PERMS, expiresInSeconds: 86_400 }),
  });
  reg.close();
  await registrar.stop();
});
afterAll(async () => {
  await sql?.end();
  await handler?.shutdown(100);
  await cloud?.close();
  await world?.stop();
});

describe("the scheduler's org_per_1h for an interactive handler", () => {
  it('puts the D&R rule back and sends the tasks with their investigation ids', async () => {
    const app = await startScheduler(SECRET);
    try {
      await eventually(() => cloud.tasks.length > 0, 15_000);
      await eventually(async () => (await hourlySettled(org)).done, 15_000);
      expect(cloud.rules(org, 'replicant').get(RULE)).toEqual({
        name: RULE,
        namespace: 'replicant',
        isEnabled: true,
        detect: {
          op: 'and',
          rules: [
            { op: 'starts with', path: 'routing/investigation_id', value: RULE },
            { op: 'is', not: true, path: 'routing/event_type', value: 'CLOUD_NOTIFICATION' },
          ],
        },
        respond: [{ action: 'report', name: `__${RULE}` }],
      });
      expect(triage.jobs).toHaveLength(1);
      expect(cloud.tasks).toEqual([
        {
          oid: org,
          sid,
          tasks: ['os_processes'],
          investigationId: `${RULE}/${key('processes')}/${triage.jobs[0]}/hourly/1`,
          idempotentKey: undefined,
        },
      ]);
      expect(await hourlySettled(org)).toEqual({ done: true, lastError: null });
    } finally {
      await app.stop();
    }
  });

  it('without the route secret still puts the rule back, and sends no tasks', async () => {
    const jwt = cloud.issueJwt({ oid: org, perms: PERMS });
    await new LcApiClient({ baseUrl: cloud.url }).deleteRule({
      oid: org,
      jwt,
      name: RULE,
      namespace: 'replicant',
    });
    expect(cloud.rules(org, 'replicant').get(RULE)).toBeUndefined();
    const tasked = cloud.tasks.length;
    clock.advance(HOUR);
    const app = await startScheduler(undefined);
    try {
      await eventually(async () => (await hourlySettled(org)).done, 15_000);
      expect(cloud.rules(org, 'replicant').get(RULE)?.name).toBe(RULE);
      expect(triage.jobs).toHaveLength(2);
      expect(cloud.tasks).toHaveLength(tasked);
    } finally {
      await app.stop();
    }
  });

  it('sends no tasks from an answer that asks to retry: only those of the answer after it', async () => {
    clock.advance(HOUR);
    triage.retries = 1;
    const tasked = cloud.tasks.length;
    const jobs = triage.jobs.length;
    const app = await startScheduler(SECRET);
    try {
      await eventually(async () => (await hourlySettled(org)).lastError === 'not yet', 15_000);
      expect(cloud.tasks).toHaveLength(tasked);
      // The retry's back-off (at most a second on the first retry) passes.
      clock.advance(2000);
      await eventually(async () => (await hourlySettled(org)).done, 15_000);
      expect(triage.jobs).toHaveLength(jobs + 2);
      expect(cloud.tasks.slice(tasked)).toEqual([
        {
          oid: org,
          sid,
          tasks: ['os_processes'],
          investigationId: `${RULE}/${key('processes')}/${triage.jobs.at(-1)}/hourly/1`,
          idempotentKey: undefined,
        },
      ]);
    } finally {
      await app.stop();
    }
  });
});
