import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDescriptorSet, Role } from '@checkwire/proto';
import {
  fuzzRpc,
  fuzzRuns,
  fuzzTargets,
  ProtoArbitraries,
  RawGrpcCaller,
  tableFingerprint,
} from '@checkwire/testing';
import { seedService, startHarness, type Harness } from './harness.js';

// Every RPC's request fields, fuzzed (fast-check) and sent as raw protobuf to the real server
// with an admin token (the role that reaches the deepest): it must never crash, never answer
// INTERNAL or UNKNOWN, and a refused call must leave every table exactly as it was. Then the
// refusal paths: callers without the role get UNAUTHENTICATED / PERMISSION_DENIED whatever they
// send, and write nothing.

const SERVICES = [
  'checkwire.scoring.v1.ScoringService',
  'checkwire.scoring.v1.AdminService',
  'checkwire.scoring.v1.StatusService',
  'checkwire.auth.v1.TokenService',
];

let h: Harness;
let raw: RawGrpcCaller;
let blueToken: string;
let redToken: string;
const arbitraries = new ProtoArbitraries(loadDescriptorSet());
const fingerprint = () => tableFingerprint(h.sql);

beforeAll(async () => {
  h = await startHarness();
  raw = new RawGrpcCaller(h.app.address);
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
  const mint = async (role: Role, teamId?: number) =>
    (
      await h.tokens.createToken({
        name: `fuzz-${role}`,
        role,
        teamId,
        subtypes: [],
        serviceIds: [],
      })
    ).secret;
  blueToken = await mint(Role.ROLE_BLUE, 1);
  redToken = await mint(Role.ROLE_RED);
});
afterAll(async () => {
  raw.close();
  await h.stop();
});

const targets = fuzzTargets(arbitraries, SERVICES);

describe('fuzzing every RPC', () => {
  it('fingerprints every table, and sees a write that keeps the row count', async () => {
    const before = await fingerprint();
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(['api_token', 'credential', 'score', 'service', 'team']),
    );
    await h.sql.query(`UPDATE credential SET password = password || 'x' WHERE position = 0`);
    const after = await fingerprint();
    await h.sql.query(`UPDATE credential SET password = left(password, -1) WHERE position = 0`);
    expect(Object.keys(before).filter((t) => before[t] !== after[t])).toEqual(['credential']);
    expect(await fingerprint()).toEqual(before);
  });

  it.each(targets.map((t) => [t.rpc, t] as const))('%s', async (_rpc, target) => {
    await fuzzRpc(arbitraries, target, {
      caller: raw,
      token: h.adminToken,
      fingerprint,
      // The test's own tokens must survive: a fuzzed RevokeToken would otherwise lock it out.
      afterEach: async () => {
        await h.sql.query('UPDATE api_token SET revoked_at = NULL WHERE revoked_at IS NOT NULL');
      },
    });
  });

  it('refuses a request larger than the limit with RESOURCE_EXHAUSTED', async () => {
    const create = arbitraries.service('checkwire.scoring.v1.AdminService').methods.CreateTeam!;
    const type = create.resolvedRequestType!;
    const body = type.encode(type.fromObject({ name: 'x'.repeat(5 * 1024 * 1024) })).finish();
    const before = await fingerprint();
    expect(
      (await raw.call('/checkwire.scoring.v1.AdminService/CreateTeam', false, body, h.adminToken))
        .code,
    ).toBe(status.RESOURCE_EXHAUSTED);
    expect(await fingerprint()).toEqual(before);
  });
});

// Writes and admin reads, fuzzed as callers who may not make them: always refused, nothing written.
const REFUSED: { rpc: string; who: 'public' | 'blue' | 'red' }[] = [
  { rpc: 'ScoringService/InsertServiceScore', who: 'public' },
  { rpc: 'ScoringService/InsertServiceScores', who: 'blue' },
  { rpc: 'ScoringService/ReportServiceError', who: 'red' },
  { rpc: 'AdminService/CreateService', who: 'public' },
  { rpc: 'AdminService/UpdateService', who: 'blue' },
  { rpc: 'AdminService/GetCredentialPool', who: 'red' },
  { rpc: 'StatusService/ListServiceErrors', who: 'blue' },
  { rpc: 'TokenService/CreateToken', who: 'public' },
  { rpc: 'TokenService/RevokeToken', who: 'red' },
];

describe('fuzzing as a caller without the role', () => {
  it.each(REFUSED.map((r) => [`${r.rpc} as ${r.who}`, r] as const))(
    '%s',
    async (_name, { rpc, who }) => {
      const target = targets.find((t) => t.rpc === rpc)!;
      const token = { public: undefined, blue: blueToken, red: redToken }[who];
      await fuzzRpc(arbitraries, target, {
        caller: raw,
        token,
        acceptable: new Set([who === 'public' ? status.UNAUTHENTICATED : status.PERMISSION_DENIED]),
        fingerprint,
        numRuns: Math.ceil(fuzzRuns() / 3),
      });
    },
  );
});
