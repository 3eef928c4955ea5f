import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRequestId } from '@checkwire/checks';
import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import {
  AdminServiceService,
  CheckQueueServiceService,
  Role,
  ScoringServiceService,
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

// Two schedulers (10-minute rounds, a clock that does not move), the real scoring server, two
// real runners and real targets on 127.0.0.1: the round's summary line counts what the checks
// found, once across the schedulers; a service created after the round started is checked in it.

const ROUND = 600_000;
const ROUND_AT = new Date('2026-12-01T16:40:00.000Z');
const clock = new ManualClock(new Date('2026-12-01T16:40:30.000Z'));
let database: TestDatabase;
let scoring: ScoringProcess;
let admin: PromiseClient<typeof AdminServiceService>;
let status: PromiseClient<typeof StatusServiceService>;
let runnerToken: string;
let schedulerToken: string;
let schedulers: SchedulerApp[] = [];
let runners: CheckRunner[] = [];
let sql: pg.Pool;
const servers: Server[] = [];
/** Round lines from both schedulers. */
const lines: string[] = [];

async function until(probe: () => Promise<boolean> | boolean): Promise<void> {
  const end = Date.now() + 15_000;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const listen = async (s: Server) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  servers.push(s);
  return (s.address() as AddressInfo).port;
};

const settledLines = () => lines.filter((l) => l.includes(' up, '));

beforeAll(async () => {
  database = await createTestDatabase();
  scoring = await startScoringProcess(database.url);
  const tokens = createPromiseClient(TokenServiceService, scoring.address, {
    token: scoring.adminToken,
  });
  const mint = async (name: string, role: Role) =>
    (await tokens.createToken({ name, role })).secret;
  runnerToken = await mint('runners', Role.ROLE_CHECK_RUNNER);
  schedulerToken = await mint('scheduler', Role.ROLE_SCHEDULER);
  tokens.close();
  admin = createPromiseClient(AdminServiceService, scoring.address, { token: scoring.adminToken });
  status = createPromiseClient(StatusServiceService, scoring.address, {
    token: scoring.adminToken,
  });
  sql = new pg.Pool({ connectionString: database.url, max: 1 });
});
afterAll(async () => {
  await Promise.all(runners.map((r) => r.stop()));
  await Promise.all(schedulers.map((s) => s.stop()));
  for (const s of servers) s.close();
  admin.close();
  status.close();
  await sql.end();
  await scoring.stop();
  await database.drop();
});

describe('round lines end to end', () => {
  it('count what the checks found, once across two schedulers; a new service joins the round', async () => {
    const open = createServer((c) => c.end());
    const up = await listen(open);
    const closed = await listen(createServer());
    servers.pop()!.close();
    // Accepts, never answers: the check times out.
    const silent = await listen(createHttpServer(() => undefined));
    const wrong = await listen(createHttpServer((_req, res) => res.end('<h1>welcome</h1>')));
    const { team } = await admin.createTeam({ name: 'blue-1' });
    const make = async (fields: object) =>
      (
        await admin.createService({
          service: serviceDraft(team!.id, { external: false, ...fields }),
        })
      ).service!.id;
    const tcp = (port: number) => ({ subtype: 'TCP', protocol: 'tcp', url: '127.0.0.1', port });
    const http = (port: number, httpString = '') => ({
      subtype: 'WEB',
      protocol: 'http',
      url: `http://127.0.0.1:${port}/`,
      port: 0,
      httpString,
    });
    await make(tcp(up));
    await make(tcp(up));
    await make(tcp(closed));
    await make(http(silent));
    await make(http(wrong, 'shop'));

    schedulers = await Promise.all(
      [0, 1].map((i) =>
        SchedulerApp.start({
          databaseUrl: database.url,
          lcHandlers: [],
          scoringAddress: scoring.address,
          token: schedulerToken,
          roundIntervalMs: ROUND,
          tickIntervalMs: 50,
          clock,
          replicaId: `scheduler-${i}`,
          roundLog: { level: 'debug', format: 'text', write: (_level, line) => lines.push(line) },
        }),
      ),
    );
    const options = { token: runnerToken };
    runners = schedulers.map(
      (from, i) =>
        new CheckRunner(
          {
            queue: createPromiseClient(CheckQueueServiceService, from.address, options),
            scoring: createPromiseClient(ScoringServiceService, scoring.address, options),
            admin: createPromiseClient(AdminServiceService, scoring.address, options),
          },
          { runnerId: `r${i}`, concurrency: 4, checkTimeoutMs: 1000, idleMs: 50 },
        ),
    );
    runners.forEach((r) => r.start());

    // The runners report completions with their next claim: the line comes once all are in.
    await until(() => settledLines().length > 0);
    expect(lines.filter((l) => l.includes(' queued: '))).toEqual([
      'scheduler: round 2026-12-01T16:40:00Z queued: 5 checks',
    ]);
    expect(settledLines()).toEqual([
      'scheduler: round 2026-12-01T16:40:00Z: 5 checks, 2 up, 1 down, 2 errors (1 timeout, 1 content) in 30.0 s',
    ]);

    // Created after the round started, ten minutes before the next: checked in this one.
    const late = await make(tcp(up));
    const key = checkRequestId(late, ROUND_AT);
    const scoresOf = async () =>
      (await status.listScores({ serviceId: late, pageSize: 50, pageToken: '' })).scores;
    await until(async () => (await scoresOf()).length > 0);
    await until(async () => {
      const { rows } = await sql.query(
        'SELECT count(*)::int AS n FROM check_task WHERE service_id = $1 AND finished_at IS NOT NULL',
        [late],
      );
      return rows[0].n === 1;
    });
    expect((await scoresOf()).map((s) => [s.requestId, s.result])).toEqual([[key, 1]]);
    const { rows: tasks } = await sql.query(
      'SELECT round_at, verdict FROM check_task WHERE service_id = $1',
      [late],
    );
    expect(tasks).toEqual([{ round_at: ROUND_AT, verdict: 'up' }]);
    expect(lines.filter((l) => l.includes('more check'))).toEqual([
      `scheduler: round 2026-12-01T16:40:00Z: 1 more check queued (new or back up: service ${late})`,
    ]);
    // Its round was logged already: not a second time.
    expect(settledLines()).toHaveLength(1);
  });
});
