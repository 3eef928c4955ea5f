import { status } from '@grpc/grpc-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import { loadDescriptorSet, Role, TokenServiceService } from '@checkwire/proto';
import {
  fuzzRpc,
  fuzzRuns,
  fuzzTargets,
  ProtoArbitraries,
  RawGrpcCaller,
  serviceDraft,
  tableFingerprint,
} from '@checkwire/testing';
import { ManualClock, SchedulerApp } from '../src/index.js';
import { eventually, registry, startWorld, type World } from './harness.js';

// Every LcRegistryService, CheckQueueService and ContinuationService request field, fuzzed (fast-check) and sent as
// raw protobuf to the real scheduler: with an admin token it must never crash, never answer
// INTERNAL or UNKNOWN, and a call that is not OK must leave every table as it was; without the
// role, every call is refused and writes nothing, whatever it sends.

const SERVICES = [
  'checkwire.scheduler.v1.LcRegistryService',
  'checkwire.scheduler.v1.CheckQueueService',
  'checkwire.scheduler.v1.ContinuationService',
];

let world: World;
let scheduler: SchedulerApp;
let sql: pg.Pool;
let raw: RawGrpcCaller;
let redToken: string;
// Names that exist, so fuzzed requests reach past the lookups.
const arbitraries = new ProtoArbitraries(loadDescriptorSet(), {
  strings: ['svc', 'org', 'sensor-1', 'runner-1'],
});
const fingerprint = () => tableFingerprint(sql);

beforeAll(async () => {
  world = await startWorld();
  const tokens = createPromiseClient(TokenServiceService, world.scoring.address, {
    token: world.adminToken,
  });
  redToken = (
    await tokens.createToken({ name: 'red', role: Role.ROLE_RED, subtypes: [], serviceIds: [] })
  ).secret;
  tokens.close();
  const { team } = await world.admin.createTeam({ name: 'fuzz' });
  for (const subtype of ['DNS', 'HTTP', 'SSH']) {
    await world.admin.createService({
      service: serviceDraft(team!.id, { external: false, subtype }),
    });
  }
  // One round is queued at start; the manual clock never moves, and the hour-long tick interval
  // keeps every background loop idle, so only the fuzzed calls write.
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
  const lc = registry(scheduler.address, world.adminToken);
  await lc.recordOrgInstalled({ serviceName: 'svc', oid: 'org', jwt: '' });
  await lc.recordSensors({ serviceName: 'svc', oid: 'org', sensorIds: ['sensor-1'] });
  lc.close();
  raw = new RawGrpcCaller(scheduler.address);
});
afterAll(async () => {
  raw?.close();
  await scheduler?.stop();
  await sql?.end();
  await world?.stop();
});

const targets = fuzzTargets(arbitraries, SERVICES);

describe('fuzzing every scheduler RPC', () => {
  it('covers every service', () => {
    expect(targets.map((t) => t.rpc)).toEqual(
      expect.arrayContaining([
        'LcRegistryService/RecordOrgInstalled',
        'CheckQueueService/ClaimChecks',
        'ContinuationService/ScheduleContinuations',
      ]),
    );
  });

  it.each(targets.map((t) => [t.rpc, t] as const))('%s as admin', async (_rpc, target) => {
    await fuzzRpc(arbitraries, target, { caller: raw, token: world.adminToken, fingerprint });
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
        token: redToken,
        acceptable: new Set([status.PERMISSION_DENIED]),
        fingerprint,
        numRuns: runs,
      });
    },
  );

  it('refuses a request larger than the limit with RESOURCE_EXHAUSTED', async () => {
    const path = '/checkwire.scheduler.v1.LcRegistryService/RecordOrgInstalled';
    const type = arbitraries.service(SERVICES[0]!).methods.RecordOrgInstalled!.resolvedRequestType!;
    const body = type
      .encode(type.fromObject({ serviceName: 'svc', oid: 'big', jwt: 'x'.repeat(5 << 20) }))
      .finish();
    const before = await fingerprint();
    expect(await raw.call(path, false, body, world.adminToken)).toMatchObject({
      code: status.RESOURCE_EXHAUSTED,
    });
    expect(await fingerprint()).toEqual(before);
  });
});
