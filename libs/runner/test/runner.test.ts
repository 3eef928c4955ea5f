import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSettingsToWire, NO_CHECK_SETTINGS } from '@checkwire/check-settings';
import { checkRequestId } from '@checkwire/checks';
import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import {
  AdminServiceService,
  CheckQueueServiceService,
  ScoringServiceService,
  ServiceErrorKind,
  StatusServiceService,
} from '@checkwire/proto';
// The real scheduler on a hand-moved clock needs it in this process (a feature lib, tests only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { ManualClock, SchedulerApp } from '@checkwire/scheduler';
import { serviceDraft, type ScoringProcess, type TestDatabase } from '@checkwire/testing';
import { CheckRunner } from '../src/index.js';
import { startScoringStack, until, type ScoringStack } from './scoring-stack.js';

// Scheduler (in this process, on a hand-moved clock), the real scoring server (its own process),
// two runners, and real targets on 127.0.0.1: one round, each service scored exactly once.

const ROUND = 60_000;
const NO_SETTINGS = checkSettingsToWire(NO_CHECK_SETTINGS);
let stack: ScoringStack;
let database: TestDatabase;
let scoring: ScoringProcess;
let scheduler: SchedulerApp;
let admin: PromiseClient<typeof AdminServiceService>;
let status: PromiseClient<typeof StatusServiceService>;
let runnerToken: string;
const clock = new ManualClock(new Date('2026-11-20T12:00:30.000Z'));
const servers: Server[] = [];

/** Waits until every one of `ids` has a task in the check queue. */
async function untilQueued(sql: pg.Pool, ids: number[]): Promise<void> {
  await until(async () => {
    const { rows } = await sql.query(
      'SELECT count(*)::int AS n FROM check_task WHERE service_id = ANY($1)',
      [ids],
    );
    return rows[0].n === ids.length;
  });
}

/** `n` internal TCP services of a new team, checked against `port`. */
async function tcpServices(
  teamName: string,
  n: number,
  port: number,
  fields: object = {},
): Promise<{ teamId: number; ids: number[] }> {
  const { team } = await admin.createTeam({ name: teamName });
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const { service } = await admin.createService({
      service: serviceDraft(team!.id, {
        external: false,
        subtype: 'TCP',
        protocol: 'tcp',
        url: '127.0.0.1',
        port,
        ...fields,
      }),
    });
    ids.push(service!.id);
  }
  return { teamId: team!.id, ids };
}

const listen = async (s: Server) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  servers.push(s);
  return (s.address() as AddressInfo).port;
};

/** GetService calls the runners made: StartServiceChecks answers with each service already. */
let getServiceCalls = 0;

/** A runner taking checks from `from` (the first scheduler unless told). */
function runner(id: string, from: SchedulerApp = scheduler, idleMs = 50, concurrency = 4) {
  const options = { token: runnerToken };
  const adminClient = createPromiseClient(AdminServiceService, scoring.address, options);
  return new CheckRunner(
    {
      queue: createPromiseClient(CheckQueueServiceService, from.address, options),
      scoring: createPromiseClient(ScoringServiceService, scoring.address, options),
      // The real client, its GetService calls counted.
      admin: Object.assign(Object.create(adminClient) as typeof adminClient, {
        getService: (...args: Parameters<typeof adminClient.getService>) => {
          getServiceCalls++;
          return adminClient.getService(...args);
        },
      }),
    },
    { runnerId: id, concurrency, checkTimeoutMs: 1000, idleMs },
  );
}

beforeAll(async () => {
  stack = await startScoringStack();
  ({ database, scoring, runnerToken, admin, status } = stack);
});
afterAll(async () => {
  await scheduler?.stop();
  for (const s of servers) s.close();
  await stack.stop();
});

describe('check rounds end to end', () => {
  it('scores every service once per round, with the right error kinds, across two runners', async () => {
    const tcpPort = await listen(createServer((c) => c.end()));
    const httpPort = await listen(createHttpServer((_req, res) => res.end('<h1>welcome</h1>')));
    const closed = await listen(createServer());
    servers.pop()!.close();
    const { team } = await admin.createTeam({ name: 'blue-1' });
    const make = async (fields: object) =>
      (
        await admin.createService({
          service: serviceDraft(team!.id, { external: false, ...fields }),
        })
      ).service!.id;
    const tcpUp = await make({ subtype: 'TCP', protocol: 'tcp', url: '127.0.0.1', port: tcpPort });
    const httpWrong = await make({
      subtype: 'WEB',
      protocol: 'http',
      url: `http://127.0.0.1:${httpPort}/`,
      port: 0,
      httpString: 'shop',
    });
    const tcpDown = await make({ subtype: 'TCP', protocol: 'tcp', url: '127.0.0.1', port: closed });

    scheduler = await SchedulerApp.start({
      databaseUrl: database.url,
      lcHandlers: [],
      scoringAddress: scoring.address,
      token: runnerToken,
      roundIntervalMs: ROUND,
      tickIntervalMs: 50,
      clock,
    });
    const runners = [runner('r1'), runner('r2')];
    runners.forEach((r) => r.start());
    const roundTime = new Date('2026-11-20T12:00:00.000Z');

    const scoresOf = async (serviceId: number) =>
      (await status.listScores({ serviceId, pageSize: 50, pageToken: '' })).scores;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const done = await Promise.all([tcpUp, httpWrong, tcpDown].map(scoresOf));
      if (done.every((s) => s.length === 1)) break;
      if (Date.now() > deadline)
        throw new Error(`not every service scored: ${JSON.stringify(done)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all(runners.map((r) => r.stop()));

    const [up] = await scoresOf(tcpUp);
    expect(up).toMatchObject({ result: 1, requestId: checkRequestId(tcpUp, roundTime) });
    expect(up!.errorMsg).toBeUndefined();
    const [wrong] = await scoresOf(httpWrong);
    expect(wrong).toMatchObject({
      result: 0,
      errorMsg: `http://127.0.0.1:${httpPort}/ does not contain the expected text`,
    });
    const [down] = await scoresOf(tcpDown);
    expect(down).toMatchObject({ result: 0 });
    const { serviceErrors } = await status.listServiceErrors({
      pageSize: 50,
      pageToken: '',
      kind: 0,
    });
    expect(serviceErrors.map((e) => [e.serviceId, e.kind]).sort()).toEqual(
      [
        [httpWrong, ServiceErrorKind.SERVICE_ERROR_KIND_CONTENT],
        [tcpDown, ServiceErrorKind.SERVICE_ERROR_KIND_CONNECTION],
      ].sort(),
    );
    const { statuses } = await status.listServiceStatus({ teamId: team!.id });
    expect(statuses.every((s) => !s.inProgress)).toBe(true);
    // Each check ran with the service its start answered with: not one GetService call.
    expect(getServiceCalls).toBe(0);
  });

  it('a check whose runner died is run again after its lease, and still scored once', async () => {
    const q = createPromiseClient(CheckQueueServiceService, scheduler.address, {
      token: runnerToken,
    });
    clock.advance(ROUND);
    // A runner that claims the new round's checks and dies.
    let claimed: number[] = [];
    for (let i = 0; i < 40 && claimed.length < 3; i++) {
      const { checks } = await q.claimChecks({
        runnerId: 'doomed',
        maxChecks: 10,
        leaseSeconds: 30,
        completedTaskIds: [],
      });
      claimed = [...claimed, ...checks.map((c) => c.taskId)];
      if (claimed.length < 3) await new Promise((r) => setTimeout(r, 50));
    }
    expect(claimed).toHaveLength(3);
    q.close();
    clock.advance(31_000);
    const survivor = runner('r3');
    survivor.start();
    const roundTime = new Date('2026-11-20T12:01:00.000Z');
    const services = (await admin.listServices({})).services.map((s) => s.id);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const counts = await Promise.all(
        services.map(async (id) => {
          const { scores } = await status.listScores({
            serviceId: id,
            pageSize: 50,
            pageToken: '',
          });
          return scores.filter((s) => s.requestId === checkRequestId(id, roundTime)).length;
        }),
      );
      if (counts.every((n) => n === 1)) break;
      if (Date.now() > deadline) throw new Error(`round 2 scores: ${counts.join(',')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await survivor.stop();
  });

  it('two schedulers and three runners score each service exactly once; a service taken down after queuing is not checked', async () => {
    const tcpPort = await listen(createServer((c) => c.end()));
    const second = await SchedulerApp.start({
      databaseUrl: database.url,
      lcHandlers: [],
      scoringAddress: scoring.address,
      token: runnerToken,
      roundIntervalMs: ROUND,
      tickIntervalMs: 50,
      clock,
    });
    const { teamId, ids } = await tcpServices('blue-many', 24, tcpPort);
    const sql = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      // Created mid-round: both schedulers queue them into the current round within a tick.
      await untilQueued(sql, ids);
      // One round, one task per service, whichever scheduler queued it.
      const { rows: round } = await sql.query(
        'SELECT DISTINCT round_at FROM check_task WHERE service_id = ANY($1)',
        [ids],
      );
      expect(round).toHaveLength(1);
      const roundTime = round[0].round_at as Date;
      // Taken down once its check is queued: the runner must neither check nor score it.
      const downId = ids[0]!;
      const { service: before } = await admin.getService({ id: downId });
      await admin.updateService({
        service: { ...before!, administrativelyDown: true, downReason: 'rebuild' },
        updateMask: ['administratively_down', 'down_reason'],
      });
      const schedulers = [scheduler, second, scheduler];
      const runners = schedulers.map((s, i) => runner(`many-${i}`, s, 20));
      runners.forEach((r) => r.start());
      const keyed = async () =>
        (
          await sql.query(
            `SELECT service_id, count(*)::int AS n FROM score
             WHERE service_id = ANY($1) AND request_id LIKE '%' || $2
             GROUP BY service_id ORDER BY service_id`,
            [ids, roundTime.toISOString()],
          )
        ).rows as { service_id: number; n: number }[];
      await until(async () => (await keyed()).length === ids.length - 1);
      await until(async () => {
        const { rows } = await sql.query(
          'SELECT count(*)::int AS n FROM check_task WHERE service_id = ANY($1) AND finished_at IS NULL',
          [ids],
        );
        return rows[0].n === 0;
      });
      await Promise.all(runners.map((r) => r.stop()));
      // The runners are stopped: everything is in. One score per service is what the round's
      // key allows; one run per service shows each was also checked once.
      const counts = await keyed();
      expect(counts.map((c) => Number(c.service_id))).toEqual(ids.slice(1));
      const { rows: perService } = await sql.query(
        `SELECT service_id::int AS id, count(*)::int AS n FROM check_run
         WHERE service_id = ANY($1) GROUP BY service_id ORDER BY service_id`,
        [ids],
      );
      expect(perService).toEqual(ids.slice(1).map((id) => ({ id, n: 1 })));
      const { rows: runs } = await sql.query(
        'SELECT count(*)::int AS n FROM check_run WHERE service_id = $1',
        [downId],
      );
      expect(runs[0].n).toBe(0);
      const { statuses } = await status.listServiceStatus({ teamId });
      expect(statuses.every((s) => !s.inProgress)).toBe(true);
      expect(statuses.filter((s) => s.lastScan === 1)).toHaveLength(ids.length - 1);
    } finally {
      await sql.end();
      await second.stop();
    }
  });

  it('checks services a start answered without (past its budget) after asking GetService for them', async () => {
    const tcpPort = await listen(createServer((c) => c.end()));
    // 90 services of about 16 KiB of settings each: one batch's answer cannot carry them all.
    const { ids } = await tcpServices('blue-big', 90, tcpPort, {
      teamSpecificInfo: 't'.repeat(4000),
      httpString: 'h'.repeat(4000),
      downReason: 'd'.repeat(4000),
    });
    const sql = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      // Created mid-round: queued into the current round within a tick.
      await untilQueued(sql, ids);
      const before = getServiceCalls;
      const big = runner('big', scheduler, 20, 100);
      big.start();
      await until(async () => {
        const { rows } = await sql.query(
          'SELECT count(DISTINCT service_id)::int AS n FROM score WHERE service_id = ANY($1) AND result = 1',
          [ids],
        );
        return rows[0].n === ids.length;
      });
      await big.stop();
      // Every service was checked and found up; those sent without their settings were asked for.
      expect(getServiceCalls - before).toBeGreaterThan(0);
      expect(getServiceCalls - before).toBeLessThan(ids.length);
    } finally {
      await sql.end();
    }
  });
  it('scores a share of the cap for the content rules that held, fails a rejected rule, and gives an up service its whole cap', async () => {
    const httpPort = await listen(createHttpServer((_req, res) => res.end('<h1>welcome</h1>')));
    const tcpPort = await listen(createServer((c) => c.end()));
    const { team } = await admin.createTeam({ name: 'blue-settings' });
    const web = { subtype: 'WEB', protocol: 'http', url: `http://127.0.0.1:${httpPort}/`, port: 0 };
    const rules = (expect: string[], reject: string[], partial: boolean) => ({
      ...NO_SETTINGS,
      expect: expect.map((value) => ({ rule: { $case: 'contains' as const, value } })),
      reject: reject.map((value) => ({ rule: { $case: 'contains' as const, value } })),
      partial,
    });
    const make = async (fields: object) =>
      (
        await admin.createService({
          service: serviceDraft(team!.id, { external: false, ...fields }),
        })
      ).service!.id;
    const partial = await make({
      ...web,
      scoreCap: 10,
      checkSettings: rules(['welcome', 'shop', '<h1>'], [], true),
    });
    const rejected = await make({ ...web, checkSettings: rules([], ['welcome'], false) });
    const capped = await make({
      subtype: 'TCP',
      protocol: 'tcp',
      url: '127.0.0.1',
      port: tcpPort,
      scoreCap: 10,
    });
    const ids = [partial, rejected, capped];
    const sql = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      // Created mid-round: queued into the current round within a tick.
      await untilQueued(sql, ids);
      const r = runner('settings', scheduler);
      r.start();
      await until(async () => {
        const { rows } = await sql.query(
          'SELECT count(DISTINCT service_id)::int AS n FROM score WHERE service_id = ANY($1)',
          [ids],
        );
        return rows[0].n === ids.length;
      });
      await r.stop();
    } finally {
      await sql.end();
    }
    const first = async (serviceId: number) =>
      (await status.listScores({ serviceId, pageSize: 50, pageToken: '' })).scores[0];
    expect(await first(partial)).toMatchObject({
      result: 6,
      errorMsg: `http://127.0.0.1:${httpPort}/ answered HTTP 200; 2 of 3 expected rules hold (the first missed: contains "shop")`,
    });
    expect(await first(rejected)).toMatchObject({
      result: 0,
      errorMsg: `http://127.0.0.1:${httpPort}/ answered HTTP 200, but its content contains "welcome", a rejected rule`,
    });
    expect(await first(capped)).toMatchObject({ result: 10, errorMsg: undefined });
    const { serviceErrors } = await status.listServiceErrors({
      pageSize: 50,
      pageToken: '',
      kind: 0,
      teamId: team!.id,
    });
    // A partial round is not an error: only the rejected rule is.
    expect(serviceErrors.map((e) => [e.serviceId, e.kind])).toEqual([
      [rejected, ServiceErrorKind.SERVICE_ERROR_KIND_CONTENT],
    ]);
  });
});
