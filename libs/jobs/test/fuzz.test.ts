import { status } from '@grpc/grpc-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator, TokenAdministration } from '@checkwire/auth';
import { connectDatabase } from '@checkwire/db';
import { createPromiseClient } from '@checkwire/grpc';
import { JobsServiceService, loadDescriptorSet } from '@checkwire/proto';
import {
  createTestDatabase,
  fuzzRpc,
  fuzzRuns,
  fuzzTargets,
  ProtoArbitraries,
  RawGrpcCaller,
  tableFingerprint,
  type TestDatabase,
} from '@checkwire/testing';
import { JobsApp } from '../src/index.js';

// Every JobsService request field, fuzzed (fast-check) and sent as raw protobuf to the real
// server: with an admin token it must never crash, never answer INTERNAL or UNKNOWN, and a call
// that is not OK must leave every table as it was; without the role, every call is refused and
// writes nothing, whatever it sends.

const JOB_IDS = [1, 2, 3].map((n) => `00000000-0000-4000-8000-00000000000${n}`);
const SERVICE = 'checkwire.jobs.v1.JobsService';

let database: TestDatabase;
let app: JobsApp;
let sql: pg.Pool;
let raw: RawGrpcCaller;
const token = {} as Record<'admin' | 'red', string>;
// Strings that exist, so fuzzed requests reach past the lookups.
const arbitraries = new ProtoArbitraries(loadDescriptorSet(), {
  strings: [...JOB_IDS, 'org', 'svc', 'sensor-1'],
});
const fingerprint = () => tableFingerprint(sql);

beforeAll(async () => {
  database = await createTestDatabase();
  app = await JobsApp.start({ databaseUrl: database.url });
  const handle = connectDatabase({ connectionString: database.url, maxConnections: 1 });
  const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
  token.admin = (await tokens.create({ name: 'admin', role: 'admin' })).secret;
  token.red = (await tokens.create({ name: 'red', role: 'red' })).secret;
  await handle.close();
  const jobs = createPromiseClient(JobsServiceService, app.address, { token: token.admin });
  for (const id of JOB_IDS) {
    await jobs.createJob({ id, oid: 'org', serviceName: 'svc', cause: 'c', sensorIds: ['s'] });
    await jobs.narrateJob({ jobId: id, message: 'm', important: false, attachments: [] });
  }
  await jobs.closeJob({ jobId: JOB_IDS[2]! });
  jobs.close();
  sql = new pg.Pool({ connectionString: database.url, max: 2 });
  raw = new RawGrpcCaller(app.address);
});
afterAll(async () => {
  raw.close();
  await sql.end();
  await app.stop();
  await database.drop();
});

const targets = fuzzTargets(arbitraries, [SERVICE]);

describe('fuzzing every JobsService RPC', () => {
  it('covers every RPC of the service', () => {
    expect(targets.map((t) => t.rpc)).toContain('JobsService/ApplyJobUpdates');
    expect(targets.length).toBeGreaterThanOrEqual(11);
  });

  it.each(targets.map((t) => [t.rpc, t] as const))('%s as admin', async (_rpc, target) => {
    await fuzzRpc(arbitraries, target, { caller: raw, token: token.admin, fingerprint });
  });

  it.each(targets.map((t) => [t.rpc, t] as const))(
    '%s without the role: refused, nothing written',
    async (_rpc, target) => {
      const runs = Math.ceil(fuzzRuns() / 4);
      await fuzzRpc(arbitraries, target, {
        caller: raw,
        acceptable: new Set([status.UNAUTHENTICATED]),
        fingerprint,
        numRuns: runs,
      });
      await fuzzRpc(arbitraries, target, {
        caller: raw,
        token: token.red,
        acceptable: new Set([status.PERMISSION_DENIED]),
        fingerprint,
        numRuns: runs,
      });
    },
  );

  it('refuses a request larger than the limit with RESOURCE_EXHAUSTED', async () => {
    const type = arbitraries.service(SERVICE).methods.CreateJob!.resolvedRequestType!;
    const body = type
      .encode(type.fromObject({ oid: 'org', serviceName: 'svc', cause: 'x'.repeat(5 << 20) }))
      .finish();
    const before = await fingerprint();
    expect(await raw.call(`/${SERVICE}/CreateJob`, false, body, token.admin)).toMatchObject({
      code: status.RESOURCE_EXHAUSTED,
    });
    expect(await fingerprint()).toEqual(before);
  });
});
