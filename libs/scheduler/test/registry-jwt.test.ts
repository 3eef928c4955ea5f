import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LcService, serveLcService, type CallbackContext } from '@checkwire/lc-sdk';
import type { RunningGrpcServer } from '@checkwire/grpc';
import { extensionRegistryName } from '@checkwire/lc-wire';
import { ManualClock, SchedulerApp } from '../src/index.js';
import { eventually, registry, startWorld, type World } from './harness.js';

/** Notes the JWT each per-org hourly callback carried. */
class JwtWatcher extends LcService {
  readonly jwts: string[] = [];
  constructor() {
    super('watched');
  }
  override every1HourPerOrg(ctx: CallbackContext): Promise<boolean> {
    this.jwts.push(`${ctx.oid}:${ctx.jwt}`);
    return Promise.resolve(true);
  }
}

let world: World;
let handler: RunningGrpcServer;
const watcher = new JwtWatcher();

beforeAll(async () => {
  world = await startWorld();
  handler = await serveLcService(watcher);
});
afterAll(async () => {
  await handler.shutdown(100);
  await world.stop();
});

describe('RecordOrgJwt', () => {
  it("replaces an installed org's JWT for the periodic callbacks, and never installs an org", async () => {
    const clock = new ManualClock(new Date('2026-11-16T01:00:00.000Z'));
    const start = () =>
      SchedulerApp.start({
        databaseUrl: world.database.url,
        lcHandlers: [{ name: 'watched', handler: handler.address }],
        scoringAddress: world.scoring.address,
        token: world.schedulerToken,
        tickIntervalMs: 50,
        clock,
        replicaId: 'jwt-replica',
      });
    const registrar = await SchedulerApp.start({
      databaseUrl: world.database.url,
      lcHandlers: [],
      scoringAddress: world.scoring.address,
      token: world.schedulerToken,
      clock,
    });
    const reg = registry(registrar.address, world.gatewayToken);
    try {
      await reg.recordOrgInstalled({ serviceName: 'watched', oid: 'org-a', jwt: 'stale' });
      await reg.recordOrgInstalled({ serviceName: 'watched', oid: 'org-gone', jwt: 'old' });
      await reg.recordOrgUninstalled({ serviceName: 'watched', oid: 'org-gone' });

      expect(
        await reg.recordOrgJwt({ serviceName: 'watched', oid: 'org-a', jwt: 'fresh' }),
      ).toEqual({ updated: true });
      // Uninstalled and unknown orgs are left as they are.
      expect(await reg.recordOrgJwt({ serviceName: 'watched', oid: 'org-gone', jwt: 'x' })).toEqual(
        { updated: false },
      );
      expect(await reg.recordOrgJwt({ serviceName: 'watched', oid: 'org-new', jwt: 'x' })).toEqual({
        updated: false,
      });
      expect((await reg.listOrgs({ serviceName: 'watched' })).orgs.map((o) => o.oid)).toEqual([
        'org-a',
      ]);
      await expect(
        reg.recordOrgJwt({ serviceName: 'watched', oid: 'org-a', jwt: '' }),
      ).rejects.toMatchObject({ code: 3, details: expect.stringContaining('jwt') });
    } finally {
      reg.close();
      await registrar.stop();
    }

    const scheduler = await start();
    try {
      await eventually(() => watcher.jwts.length >= 1);
      expect(watcher.jwts).toEqual(['org-a:fresh']);
    } finally {
      await scheduler.stop();
    }
  });

  it("records an extension's org it did not know (ext/…), but never brings back an uninstalled one", async () => {
    const registrar = await SchedulerApp.start({
      databaseUrl: world.database.url,
      lcHandlers: [],
      scoringAddress: world.scoring.address,
      token: world.schedulerToken,
      clock: new ManualClock(new Date('2026-11-16T01:00:00.000Z')),
    });
    const reg = registry(registrar.address, world.gatewayToken);
    const name = extensionRegistryName('scanner');
    try {
      await reg.recordOrgInstalled({ serviceName: name, oid: 'org-gone', jwt: 'old' });
      await reg.recordOrgUninstalled({ serviceName: name, oid: 'org-gone' });
      expect(await reg.recordOrgJwt({ serviceName: name, oid: 'org-new', jwt: 'j1' })).toEqual({
        updated: true,
      });
      expect(await reg.recordOrgJwt({ serviceName: name, oid: 'org-new', jwt: 'j2' })).toEqual({
        updated: true,
      });
      expect(await reg.recordOrgJwt({ serviceName: name, oid: 'org-gone', jwt: 'x' })).toEqual({
        updated: false,
      });
      expect((await reg.listOrgs({ serviceName: name })).orgs.map((o) => o.oid)).toEqual([
        'org-new',
      ]);
    } finally {
      reg.close();
      await registrar.stop();
    }
  });
});
