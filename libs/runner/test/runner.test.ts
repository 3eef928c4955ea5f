import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRequestId } from '@checkwire/checks';
import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import {
  AdminServiceService,
  CheckQueueServiceService,
  Role,
  ScoringServiceService,
  ServiceErrorKind,
  StatusServiceService,
  TokenServiceService,
} from '@checkwire/proto';
// The real scheduler on a hand-moved clock needs it in this process (a feature lib, tests only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { ManualClock, SchedulerApp } from '@checkwire/scheduler';
import {
  createTestDatabase,
  serviceDraft,
  startScoringProcess,
  type ScoringProcess,
  type TestDatabase,
} from '@checkwire/testing';
import { CheckRunner } from '../src/index.js';

// Scheduler (in this process, on a hand-moved clock), the real scoring server (its own process),
// two runners, and real targets on 127.0.0.1: one round, each service scored exactly once.

const ROUND = 60_000;
let database: TestDatabase;
let scoring: ScoringProcess;
let scheduler: SchedulerApp;
let admin: PromiseClient<typeof AdminServiceService>;
let status: PromiseClient<typeof StatusServiceService>;
let runnerToken: string;
const clock = new ManualClock(new Date('2026-11-20T12:00:30.000Z'));
const servers: Server[] = [];

const listen = async (s: Server) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  servers.push(s);
  return (s.address() as AddressInfo).port;
};

function runner(id: string) {
  const options = { token: runnerToken };
  return new CheckRunner(
    {
      queue: createPromiseClient(CheckQueueServiceService, scheduler.address, options),
      scoring: createPromiseClient(ScoringServiceService, scoring.address, options),
      admin: createPromiseClient(AdminServiceService, scoring.address, options),
    },
    { runnerId: id, concurrency: 4, checkTimeoutMs: 1000, idleMs: 50 },
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  scoring = await startScoringProcess(database.url);
  const tokens = createPromiseClient(TokenServiceService, scoring.address, {
    token: scoring.adminToken,
  });
  runnerToken = (
    await tokens.createToken({
      name: 'runners',
      role: Role.ROLE_CHECK_RUNNER,
      subtypes: [],
      serviceIds: [],
    })
  ).secret;
  tokens.close();
  admin = createPromiseClient(AdminServiceService, scoring.address, { token: scoring.adminToken });
  status = createPromiseClient(StatusServiceService, scoring.address, {
    token: scoring.adminToken,
  });
});
afterAll(async () => {
  await scheduler?.stop();
  for (const s of servers) s.close();
  admin.close();
  status.close();
  await scoring.stop();
  await database.drop();
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
});
