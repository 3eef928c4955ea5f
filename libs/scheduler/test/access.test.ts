import { status } from '@grpc/grpc-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import {
  CheckQueueServiceService,
  ContinuationServiceService,
  LcRegistryServiceService,
  Role,
  TokenServiceService,
} from '@checkwire/proto';
import { callAnswer, serviceDraft, tableFingerprint } from '@checkwire/testing';
import { ManualClock, SchedulerApp } from '../src/index.js';
import { eventually, startWorld, type World } from './harness.js';

// Who may call each LcRegistryService, CheckQueueService and ContinuationService RPC, with a valid request: the roles
// allowed get OK, the others the exact refusal, and a refused call writes nothing. Expectations
// are written by hand.

type Who =
  'admin' | 'runner' | 'runnerDns' | 'scheduler' | 'blue' | 'red' | 'green' | 'public' | 'gateway';
const WHO: Who[] = [
  'admin',
  'runner',
  'runnerDns',
  'scheduler',
  'blue',
  'red',
  'green',
  'public',
  'gateway',
];
/** Check runners work the queue; neither they nor the scheduler touch the LC registry. */
const RUNNERS: Who[] = ['admin', 'runner', 'runnerDns'];
/** The LC gateway records installs and sensors, and hands over continuations; no check. */
const REGISTRY: Who[] = ['admin', 'gateway'];
/** The white team only. */
const ADMIN: Who[] = ['admin'];
const NEEDS = (allowed: Who[]) =>
  allowed.length === 1
    ? 'admin'
    : allowed.includes('gateway')
      ? 'admin or lc_gateway'
      : 'admin or check_runner';

const POLICY: Record<string, Who[]> = {
  'LcRegistryService/RecordOrgInstalled': REGISTRY,
  'LcRegistryService/RecordOrgUninstalled': REGISTRY,
  'LcRegistryService/RecordOrgJwt': REGISTRY,
  'LcRegistryService/RecordSensors': REGISTRY,
  'LcRegistryService/ListOrgs': REGISTRY,
  'CheckQueueService/ClaimChecks': RUNNERS,
  'CheckQueueService/CompleteCheck': RUNNERS,
  'CheckQueueService/FailCheck': RUNNERS,
  'ContinuationService/ScheduleContinuations': REGISTRY,
  'ContinuationService/ListContinuations': REGISTRY,
  'ContinuationService/RequeueContinuation': ADMIN,
};

const DEFINITIONS = {
  registry: LcRegistryServiceService,
  queue: CheckQueueServiceService,
  continuations: ContinuationServiceService,
};
type Group = keyof typeof DEFINITIONS;

let world: World;
let scheduler: SchedulerApp;
let sql: pg.Pool;
let teamId: number;
const tasks: number[] = [];
/** A continuation given up, which admin may requeue (the only role that may, once). */
let givenUp = '';
const clients = {} as Record<Who, Record<Group, { close(): void }>>;

beforeAll(async () => {
  world = await startWorld();
  const { team } = await world.admin.createTeam({ name: 'access' });
  teamId = team!.id;
  for (let i = 0; i < 3; i++) {
    await world.admin.createService({
      service: serviceDraft(teamId, { external: false, subtype: 'dns' }),
    });
  }
  const tokens = createPromiseClient(TokenServiceService, world.scoring.address, {
    token: world.adminToken,
  });
  const mint = async (role: Role, extra: { teamId?: number; subtypes?: string[] } = {}) =>
    (
      await tokens.createToken({
        name: `t-${role}`,
        role,
        subtypes: [],
        serviceIds: [],
        ...extra,
      })
    ).secret;
  const secrets: Record<Exclude<Who, 'public'>, string> = {
    admin: world.adminToken,
    runner: world.runnerToken,
    runnerDns: await mint(Role.ROLE_CHECK_RUNNER, { subtypes: ['dns'] }),
    scheduler: world.schedulerToken,
    blue: await mint(Role.ROLE_BLUE, { teamId }),
    red: await mint(Role.ROLE_RED),
    green: await mint(Role.ROLE_GREEN),
    gateway: await mint(Role.ROLE_LC_GATEWAY),
  };
  tokens.close();
  // One round is queued at start (a task per service); the manual clock never moves.
  scheduler = await SchedulerApp.start({
    databaseUrl: world.database.url,
    lcHandlers: [],
    scoringAddress: world.scoring.address,
    token: world.schedulerToken,
    roundIntervalMs: 60_000,
    tickIntervalMs: 3_600_000,
    checkMaxAttempts: 1000,
    clock: new ManualClock(new Date('2026-11-18T08:00:30.000Z')),
  });
  sql = new pg.Pool({ connectionString: world.database.url, max: 2 });
  await eventually(async () => (await sql.query('SELECT 1 FROM check_task')).rows.length === 3);
  const { rows } = await sql.query('SELECT id FROM check_task ORDER BY id');
  tasks.push(...rows.map((r: { id: string }) => Number(r.id)));
  const given = await sql.query(
    `INSERT INTO lc_continuation (extension_name, source_key, position, oid, action, due_at,
       run_after, attempts, claims, finished_at, outcome, last_error)
     VALUES ('ext', 'given-up', 0, 'org', 'later', now(), now(), 3, 3, now(), 'gave_up', 'boom')
     RETURNING id`,
  );
  givenUp = (given.rows[0] as { id: string }).id;
  for (const who of WHO) {
    const options = who === 'public' ? {} : { token: secrets[who] };
    clients[who] = {
      registry: createPromiseClient(LcRegistryServiceService, scheduler.address, options),
      queue: createPromiseClient(CheckQueueServiceService, scheduler.address, options),
      continuations: createPromiseClient(ContinuationServiceService, scheduler.address, options),
    };
  }
});
afterAll(async () => {
  for (const c of Object.values(clients)) Object.values(c).forEach((x) => x.close());
  await scheduler?.stop();
  await sql?.end();
  await world?.stop();
});

/** A valid request for each RPC (fields left out take their defaults). */
const VALID: Record<string, () => Record<string, unknown>> = {
  'LcRegistryService/RecordOrgInstalled': () => ({ serviceName: 'svc', oid: 'org', jwt: 'j' }),
  'LcRegistryService/RecordOrgUninstalled': () => ({ serviceName: 'svc', oid: 'gone' }),
  'LcRegistryService/RecordOrgJwt': () => ({ serviceName: 'svc', oid: 'org', jwt: 'fresh' }),
  'LcRegistryService/RecordSensors': () => ({
    serviceName: 'svc',
    oid: 'org',
    sensorIds: ['sensor-1'],
  }),
  'LcRegistryService/ListOrgs': () => ({ serviceName: 'svc' }),
  'CheckQueueService/ClaimChecks': () => ({ maxChecks: 1, runnerId: 'r' }),
  'CheckQueueService/CompleteCheck': () => ({ taskId: tasks[0] }),
  'CheckQueueService/FailCheck': () => ({ taskId: tasks[1], error: 'timed out' }),
  'ContinuationService/ScheduleContinuations': () => ({
    extensionName: 'ext',
    sourceKey: 'envelope-1',
    org: { oid: 'org' },
    continuations: [{ inDelaySec: 3600, action: 'later' }],
  }),
  'ContinuationService/ListContinuations': () => ({ extensionName: 'ext', includeSettled: true }),
  'ContinuationService/RequeueContinuation': () => ({ id: givenUp }),
};

type Method = { requestDeserialize(b: Buffer): object; responseStream: boolean; path: string };
const rpcs = (Object.entries(DEFINITIONS) as [Group, unknown][]).flatMap(([group, def]) =>
  Object.entries(def as Record<string, Method>).map(([key, method]) => ({
    group,
    key,
    method,
    rpc: method.path.replace(/^\/checkwire\.scheduler\.v1\./, ''),
  })),
);

function send(who: Who, group: Group, key: string, method: Method, rpc: string) {
  const request = { ...method.requestDeserialize(Buffer.alloc(0)), ...VALID[rpc]!() };
  const fn = (clients[who][group] as unknown as Record<string, (r: unknown) => Promise<unknown>>)[
    key
  ]!;
  return callAnswer(fn(request));
}

const WORDS: Record<Who, string> = {
  admin: 'an admin token',
  runner: 'a check_runner token',
  runnerDns: 'a check_runner token',
  blue: 'a blue token (team ?)',
  red: 'a red token',
  green: 'a green token',
  public: '',
  gateway: 'an lc_gateway token',
  scheduler: 'a scheduler token',
};

describe('scheduler role × RPC', () => {
  it('has a policy and a valid request for every RPC the server offers', () => {
    expect(rpcs.map((r) => r.rpc).sort()).toEqual(Object.keys(POLICY).sort());
    expect(Object.keys(VALID).sort()).toEqual(Object.keys(POLICY).sort());
  });

  it.each(rpcs.map((r) => [r.rpc, r] as const))(
    '%s',
    async (_name, { group, key, method, rpc }) => {
      const allowed = POLICY[rpc]!;
      const what = `call ${rpc.replace('/', '.')}`;
      const before = await tableFingerprint(sql);
      for (const who of WHO.filter((w) => !allowed.includes(w))) {
        const expected =
          who === 'public'
            ? {
                code: status.UNAUTHENTICATED,
                details: `${what} needs ${NEEDS(allowed)}: send metadata 'authorization: Bearer <token>'`,
              }
            : {
                code: status.PERMISSION_DENIED,
                details: `${WORDS[who].replace('?', String(teamId))} may not ${what}; it needs ${NEEDS(allowed)}`,
              };
        expect(await send(who, group, key, method, rpc), `${who} ${rpc}`).toEqual(expected);
      }
      expect(await tableFingerprint(sql)).toEqual(before);
      for (const who of allowed) {
        expect(await send(who, group, key, method, rpc), `${who} ${rpc}`).toEqual({
          code: 0,
          details: '',
        });
      }
    },
  );
});
