import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator, TokenAdministration } from '@checkwire/auth';
import { connectDatabase } from '@checkwire/db';
import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import { JobsServiceService } from '@checkwire/proto';
import {
  callAnswer,
  createTestDatabase,
  tableFingerprint,
  type TestDatabase,
} from '@checkwire/testing';
import { JobsApp } from '../src/index.js';

// Who may call each JobsService RPC, with a valid request: the roles allowed get OK, the others
// the exact refusal, and a refused call writes nothing. Expectations are written by hand.

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
/** The LC gateway stores its handlers' jobs and delivers them; check runners touch no job. */
const GATEWAY: Who[] = ['admin', 'gateway'];
/** The scheduler also stores the jobs its periodic callbacks return. */
const APPLIERS: Who[] = [...GATEWAY, 'scheduler'];

const POLICY: Record<string, Who[]> = {
  CreateJob: GATEWAY,
  NarrateJob: GATEWAY,
  AddJobSensor: GATEWAY,
  SetJobCause: GATEWAY,
  CloseJob: GATEWAY,
  ApplyJobUpdates: APPLIERS,
  TakeUndeliveredJobUpdates: GATEWAY,
  ConfirmJobUpdatesDelivered: GATEWAY,
  WatchUndeliveredOrgs: GATEWAY,
  GetJob: GATEWAY,
  ListJobs: GATEWAY,
  WatchJob: GATEWAY,
};
const NEEDS = (allowed: Who[]) =>
  allowed.includes('scheduler') ? 'admin or lc_gateway or scheduler' : 'admin or lc_gateway';

let database: TestDatabase;
let app: JobsApp;
let sql: pg.Pool;
let teamId: number;
const clients = {} as Record<Who, PromiseClient<typeof JobsServiceService>>;
let openJob: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await JobsApp.start({ databaseUrl: database.url });
  sql = new pg.Pool({ connectionString: database.url, max: 2 });
  teamId = Number(
    (await sql.query(`INSERT INTO team (name) VALUES ('b') RETURNING id`)).rows[0].id,
  );
  const handle = connectDatabase({ connectionString: database.url, maxConnections: 1 });
  const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
  const mint = async (spec: Parameters<TokenAdministration['create']>[0]) =>
    (await tokens.create(spec)).secret;
  const secrets: Record<Exclude<Who, 'public'>, string> = {
    admin: await mint({ name: 'admin', role: 'admin' }),
    runner: await mint({ name: 'runner', role: 'check_runner' }),
    runnerDns: await mint({ name: 'dns', role: 'check_runner', subtypes: ['dns'] }),
    scheduler: await mint({ name: 'scheduler', role: 'scheduler' }),
    blue: await mint({ name: 'blue', role: 'blue', teamId }),
    red: await mint({ name: 'red', role: 'red' }),
    green: await mint({ name: 'green', role: 'green' }),
    gateway: await mint({ name: 'gateway', role: 'lc_gateway' }),
  };
  await handle.close();
  for (const who of WHO) {
    const token = who === 'public' ? undefined : secrets[who];
    clients[who] = createPromiseClient(JobsServiceService, app.address, token ? { token } : {});
  }
  openJob = await newJob();
});
afterAll(async () => {
  for (const c of Object.values(clients)) c.close();
  await sql.end();
  await app.stop();
  await database.drop();
});

async function newJob(): Promise<string> {
  const { job } = await clients.admin.createJob({
    id: '',
    oid: 'org',
    serviceName: 'svc',
    cause: 'c',
    sensorIds: [],
  });
  return job!.id;
}

/** A valid request for each RPC (fields left out take their defaults). */
const VALID: Record<string, () => Promise<Record<string, unknown>> | Record<string, unknown>> = {
  CreateJob: () => ({ oid: 'org', serviceName: 'svc', cause: 'c' }),
  NarrateJob: () => ({ jobId: openJob, message: 'm' }),
  AddJobSensor: () => ({ jobId: openJob, sensorId: 's' }),
  SetJobCause: () => ({ jobId: openJob, cause: 'better' }),
  CloseJob: async () => ({ jobId: await newJob() }),
  ApplyJobUpdates: () => ({
    oid: 'org',
    serviceName: 'svc',
    updates: [{ id: randomUUID(), cause: 'c', sensorIds: [], narration: [], closed: false }],
  }),
  TakeUndeliveredJobUpdates: () => ({ oid: 'org', serviceName: 'svc' }),
  ConfirmJobUpdatesDelivered: () => ({ deliveryId: randomUUID() }),
  WatchUndeliveredOrgs: () => ({ serviceName: 'svc' }),
  GetJob: () => ({ jobId: openJob }),
  ListJobs: () => ({}),
  WatchJob: () => ({ jobId: openJob }),
};

type Method = { requestDeserialize(b: Buffer): object; responseStream: boolean; path: string };
const methods = Object.entries(JobsServiceService as unknown as Record<string, Method>);
const nameOf = (m: Method) => m.path.split('/').pop()!;

/** A valid request (building it may write, e.g. the job CloseJob closes). */
async function requestFor(method: Method): Promise<object> {
  return { ...method.requestDeserialize(Buffer.alloc(0)), ...(await VALID[nameOf(method)]!()) };
}

function send(who: Who, key: string, request: object) {
  const fn = (clients[who] as unknown as Record<string, (r: unknown, o: unknown) => unknown>)[key]!;
  const controller = new AbortController();
  const result = fn(request, { signal: controller.signal }) as
    Promise<unknown> | AsyncIterable<unknown>;
  return callAnswer(result, controller);
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

describe('JobsService role × RPC', () => {
  it('has a policy and a valid request for every RPC the server offers', () => {
    expect(methods.map(([, m]) => nameOf(m)).sort()).toEqual(Object.keys(POLICY).sort());
    expect(Object.keys(VALID).sort()).toEqual(Object.keys(POLICY).sort());
  });

  it.each(methods.map(([key, m]) => [nameOf(m), key, m] as const))(
    '%s',
    async (name, key, method) => {
      const allowed = POLICY[name]!;
      const what = `call JobsService.${name}`;
      const refused = WHO.filter((w) => !allowed.includes(w));
      const requests = await Promise.all(refused.map(() => requestFor(method)));
      const before = await tableFingerprint(sql);
      for (const [i, who] of refused.entries()) {
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
        expect(await send(who, key, requests[i]!), `${who} ${name}`).toEqual(expected);
      }
      expect(await tableFingerprint(sql)).toEqual(before);
      for (const who of allowed) {
        const answer = await send(who, key, await requestFor(method));
        expect(answer, `${who} ${name}`).toEqual({ code: 0, details: '' });
      }
    },
  );
});
