import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDescriptorSet } from '@checkwire/proto';
import { ProtoArbitraries } from '@checkwire/testing';
import { seedService, startHarness, type Harness } from './harness.js';

// Every RPC's request fields, fuzzed (fast-check) and sent as raw protobuf to the real server
// with an admin token (the role that reaches the deepest): it must never crash, never answer
// INTERNAL or UNKNOWN, and a refused call must leave the database exactly as it was.

const SERVICES = [
  'checkwire.scoring.v1.ScoringService',
  'checkwire.scoring.v1.AdminService',
  'checkwire.scoring.v1.StatusService',
  'checkwire.auth.v1.TokenService',
];
/** Answers a well-behaved server may give to garbage. */
const ACCEPTABLE = new Set([
  status.OK,
  status.INVALID_ARGUMENT,
  status.NOT_FOUND,
  status.ALREADY_EXISTS,
  status.FAILED_PRECONDITION,
  status.OUT_OF_RANGE,
]);
// FUZZ_RUNS=1000 npm test … for a longer hunt; CI uses the default.
const RUNS_PER_RPC = Number(process.env.FUZZ_RUNS ?? 60);

let h: Harness;
let raw: Client;
const arbitraries = new ProtoArbitraries(loadDescriptorSet());

beforeAll(async () => {
  h = await startHarness();
  raw = new Client(h.app.address, credentials.createInsecure());
  // Some rows for small ids to hit.
  for (let i = 0; i < 4; i++) {
    const { service } = await seedService(h);
    const { score } = await h.scoring.insertServiceScore({ serviceId: service.id, result: i });
    await h.scoring.reportServiceError({ scoreId: score!.id, kind: 1, message: 'm', detail: '' });
  }
  await h.admin.createCredentialPool({
    name: 'pool',
    credentials: [{ username: 'u', password: 'p' }],
  });
});
afterAll(async () => {
  raw.close();
  await h.stop();
});

function auth(): Metadata {
  const m = new Metadata();
  m.set('authorization', `Bearer ${h.adminToken}`);
  return m;
}

const identity = (b: Buffer) => b;
/** 0 is OK. */
interface Answer {
  code: number;
  details: string;
}

function callUnary(path: string, body: Uint8Array): Promise<Answer> {
  return new Promise((resolve) => {
    raw.makeUnaryRequest(
      path,
      (b: Uint8Array) => Buffer.from(b),
      identity,
      body,
      auth(),
      { deadline: Date.now() + 10_000 },
      (err: ServiceError | null) =>
        resolve(err ? { code: err.code, details: err.details } : { code: 0, details: '' }),
    );
  });
}

function callStream(path: string, body: Uint8Array): Promise<{ code: number; details: string }> {
  return new Promise((resolve) => {
    const call = raw.makeServerStreamRequest(
      path,
      (b: Uint8Array) => Buffer.from(b),
      identity,
      body,
      auth(),
      {
        deadline: Date.now() + 10_000,
      },
    );
    call.on('data', () => {
      call.cancel();
      resolve({ code: 0, details: '' });
    });
    call.on('error', (err: ServiceError) => {
      if (err.code !== status.CANCELLED) resolve({ code: err.code, details: err.details });
    });
    call.on('end', () => resolve({ code: 0, details: '' }));
  });
}

/** Everything a call could write: row counts and the sum of service versions. */
async function fingerprint(): Promise<string> {
  const { rows } = await h.sql.query(`SELECT
    (SELECT count(*) FROM team) teams, (SELECT count(*) FROM service) services,
    (SELECT coalesce(sum(version), 0) FROM service) versions,
    (SELECT count(*) FROM credential_pool) pools, (SELECT count(*) FROM credential) creds,
    (SELECT count(*) FROM check_run) runs, (SELECT count(*) FROM check_run WHERE finished_at IS NULL) open_runs,
    (SELECT count(*) FROM score) scores, (SELECT count(*) FROM service_error) errors,
    (SELECT count(*) FROM api_token) tokens, (SELECT count(*) FROM api_token WHERE revoked_at IS NULL) live`);
  return JSON.stringify(rows[0]);
}

const methods = SERVICES.flatMap((name) =>
  arbitraries.service(name).methodsArray.map((m) => ({
    rpc: `${name.split('.').pop()}/${m.name}`,
    path: `/${name}/${m.name}`,
    method: m,
  })),
);

describe('fuzzing every RPC', () => {
  it.each(methods.map((m) => [m.rpc, m] as const))('%s', async (_rpc, { path, method }) => {
    // The bootstrap admin must survive: a fuzzed RevokeToken could otherwise lock the test out.
    const bootstrapId = 1;
    await fc.assert(
      fc.asyncProperty(arbitraries.requests(method), async (body) => {
        const before = await fingerprint();
        const answer = method.responseStream
          ? await callStream(path, body)
          : await callUnary(path, body);
        expect(
          ACCEPTABLE.has(answer.code),
          `${path} answered ${answer.code} ${answer.details}`,
        ).toBe(true);
        if (answer.code !== 0) {
          expect(await fingerprint()).toBe(before);
          expect(answer.details).toMatch(/\S/);
        }
        await h.sql.query('UPDATE api_token SET revoked_at = NULL WHERE id = $1', [bootstrapId]);
      }),
      { numRuns: RUNS_PER_RPC },
    );
  });

  it('refuses a request larger than the limit with RESOURCE_EXHAUSTED', async () => {
    const create = arbitraries.service('checkwire.scoring.v1.AdminService').methods.CreateTeam!;
    const type = create.resolvedRequestType!;
    const body = type.encode(type.fromObject({ name: 'x'.repeat(5 * 1024 * 1024) })).finish();
    const before = await fingerprint();
    expect((await callUnary('/checkwire.scoring.v1.AdminService/CreateTeam', body)).code).toBe(
      status.RESOURCE_EXHAUSTED,
    );
    expect(await fingerprint()).toBe(before);
  });
});
