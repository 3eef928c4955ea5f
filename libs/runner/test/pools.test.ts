import { createServer, type AddressInfo, type Server } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient, GrpcStatus } from '@checkwire/grpc';
import {
  AdminServiceService,
  CheckOutcome,
  CheckQueueServiceService,
  ScoringServiceService,
  ServiceErrorKind,
} from '@checkwire/proto';
// The real scheduler needs to be in this process to be started with its options (tests only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { SchedulerApp } from '@checkwire/scheduler';
import { serviceDraft } from '@checkwire/testing';
import { CheckRunner } from '../src/index.js';
import { startScoringStack, until, type ScoringStack } from './scoring-stack.js';

// Runner pools, end to end on the system clock: the real scoring server (its own process), the
// scheduler, runners started for pools, a real TCP target. Each check goes to a runner of its
// service's pool; a pool nobody serves is reported as NO_RUNNER, not left waiting.

/** How recent a runner's claim must be for its pool to count as served, in this test. */
const LIVENESS_MS = 5000;
let stack: ScoringStack;
let scheduler: SchedulerApp;
let sql: pg.Pool;
let target: Server;
/** The round these services were first queued in. */
const FIRST_ROUND = 'SELECT min(round_at) FROM check_task';

/** Waits until the first round's check of each of `ids` is finished. */
async function untilFinished(ids: number[]): Promise<void> {
  await until(async () => {
    const { rows } = await sql.query(
      `SELECT count(*)::int AS n FROM check_task
       WHERE service_id = ANY($1) AND finished_at IS NOT NULL AND round_at = (${FIRST_ROUND})`,
      [ids],
    );
    return rows[0].n === ids.length;
  });
}

function runner(
  id: string,
  pools: string[] | undefined,
  concurrency = 4,
  checkTimeoutMs = 1000,
): CheckRunner {
  const options = { token: stack.runnerToken };
  const scoring = stack.scoring.address;
  return new CheckRunner(
    {
      queue: createPromiseClient(CheckQueueServiceService, scheduler.address, options),
      scoring: createPromiseClient(ScoringServiceService, scoring, options),
      admin: createPromiseClient(AdminServiceService, scoring, options),
    },
    { runnerId: id, concurrency, checkTimeoutMs, idleMs: 50, pools },
  );
}

beforeAll(async () => {
  stack = await startScoringStack();
  sql = new pg.Pool({ connectionString: stack.database.url, max: 1 });
  target = createServer((c) => c.end());
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
  scheduler = await SchedulerApp.start({
    databaseUrl: stack.database.url,
    lcHandlers: [],
    scoringAddress: stack.scoring.address,
    token: stack.runnerToken,
    // Rounds of 30 days (on the system clock, aligned on the epoch): services created now join
    // the current one within a tick, and the test only reads the first round anyway.
    roundIntervalMs: 30 * 24 * 3_600_000,
    tickIntervalMs: 50,
    runnerLivenessMs: LIVENESS_MS,
  });
});
afterAll(async () => {
  await scheduler?.stop();
  target.close();
  await sql.end();
  await stack.stop();
});

describe('runner pools', () => {
  it('hands each check to a runner of its pool, and reports a pool nobody serves as NO_RUNNER', async () => {
    const runners = [runner('in-team-a', ['team-a']), runner('central', undefined)];
    runners.forEach((r) => r.start());
    const { team } = await stack.admin.createTeam({ name: 'pooled' });
    const port = (target.address() as AddressInfo).port;
    const make = async (name: string, runnerPool: string) =>
      (
        await stack.admin.createService({
          service: serviceDraft(team!.id, {
            name,
            external: false,
            subtype: 'TCP',
            protocol: 'tcp',
            url: '127.0.0.1',
            port,
            runnerPool,
          }),
        })
      ).service!;
    const inA = await make('in-a', 'team-a');
    const central = await make('central', 'default');
    const orphan = await make('orphan', 'team-c');
    // "default" is how people name the default pool; it is stored as "".
    expect([inA.runnerPool, central.runnerPool, orphan.runnerPool]).toEqual([
      'team-a',
      '',
      'team-c',
    ]);

    const ids = [inA.id, central.id, orphan.id];
    await untilFinished(ids);
    await Promise.all(runners.map((r) => r.stop()));

    const { rows: tasks } = await sql.query(
      `SELECT service_id::int AS id, pool, locked_by, outcome, verdict FROM check_task
       WHERE service_id = ANY($1) AND round_at = (${FIRST_ROUND}) ORDER BY service_id`,
      [ids],
    );
    expect(tasks).toEqual([
      { id: inA.id, pool: 'team-a', locked_by: 'in-team-a', outcome: 'scored', verdict: 'up' },
      { id: central.id, pool: '', locked_by: 'central', outcome: 'scored', verdict: 'up' },
      { id: orphan.id, pool: 'team-c', locked_by: null, outcome: 'gave_up', verdict: 'no_runner' },
    ]);
    const lastScans = await Promise.all(
      ids.map(async (id) => (await stack.admin.getService({ id })).service!.lastScan),
    );
    expect(lastScans).toEqual([1, 1, 0]);
    const { serviceErrors } = await stack.status.listServiceErrors({
      pageSize: 50,
      pageToken: '',
      kind: ServiceErrorKind.SERVICE_ERROR_KIND_NO_RUNNER,
    });
    expect(serviceErrors).toHaveLength(1);
    expect(serviceErrors[0]).toMatchObject({ serviceId: orphan.id, serviceName: 'orphan' });
    expect(serviceErrors[0]!.message).toBe(
      'not checked: no runner serves pool "team-c" (no runner has ever claimed checks for it); ' +
        'start a runner with RUNNER_POOLS=team-c, or move the service to a pool that has one',
    );
  });

  it('keeps a pool whose only runner is busy for longer than the window served: its checks wait and run', async () => {
    // A server that accepts and never answers: each HTTP check takes the runner's whole limit.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as AddressInfo).port;
    // One slot, checks longer than the window: while it works, it claims nothing for 7 s. The
    // central runner keeps claiming, so runners do reach the scheduler.
    const runners = [runner('busy', ['slow'], 1, 7000), runner('central-2', undefined)];
    runners.forEach((r) => r.start());
    try {
      const { team } = await stack.admin.createTeam({ name: 'slow-team' });
      const ids: number[] = [];
      for (const name of ['slow-1', 'slow-2']) {
        const { service } = await stack.admin.createService({
          service: serviceDraft(team!.id, {
            name,
            external: false,
            subtype: 'WEB',
            protocol: 'http',
            url: `http://127.0.0.1:${port}/`,
            port: 0,
            runnerPool: 'slow',
          }),
        });
        ids.push(service!.id);
      }
      await untilFinished(ids);
      const { rows } = await sql.query(
        `SELECT locked_by, outcome, verdict FROM check_task
         WHERE service_id = ANY($1) AND round_at = (${FIRST_ROUND}) ORDER BY service_id`,
        [ids],
      );
      // The second check waited longer than the window behind the first, and still ran.
      expect(rows).toEqual([
        { locked_by: 'busy', outcome: 'scored', verdict: 'timeout' },
        { locked_by: 'busy', outcome: 'scored', verdict: 'timeout' },
      ]);
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
      silent.close();
    }
  });

  it('refuses a claim naming a pool no service could have, and a runner reporting NO_RUNNER', async () => {
    const q = createPromiseClient(CheckQueueServiceService, scheduler.address, {
      token: stack.runnerToken,
    });
    try {
      await expect(q.claimChecks({ runnerId: 'r', pools: ['team a'] })).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        details: expect.stringMatching(/^pools\[0\]: must be empty or "default"/),
      });
      await expect(
        q.claimChecks({
          runnerId: 'r',
          completedChecks: [
            {
              taskId: 1,
              outcome: CheckOutcome.CHECK_OUTCOME_DOWN,
              errorKind: ServiceErrorKind.SERVICE_ERROR_KIND_NO_RUNNER,
            },
          ],
        }),
      ).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        details: expect.stringMatching(/NO_RUNNER is for checks nobody ran/),
      });
    } finally {
      q.close();
    }
  });
});
