import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import { LcService } from '@checkwire/lc-sdk';
import { LcRegistryServiceService } from '@checkwire/proto';
import { eventually, lcBody, startGateway, type GatewayHarness } from './harness.js';

// Installs, uninstalls and new sensors seen by the gateway reach the scheduler's registry (the
// real scheduler, its own process), which is what its per-org and per-sensor callbacks go to.

class InstallOnly extends LcService {
  constructor() {
    super('install-only');
  }
  override onOrgInstalled() {
    return true;
  }
}

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGateway(
    [new InstallOnly()],
    ([a]) => [{ name: 'svc', secret: 'reg-secret', handler: a! }],
    { withScheduler: true },
  );
});
afterAll(() => h.stop());

describe('the registry behind the gateway', () => {
  it('records installs (with the JWT), sensors, even unimplemented ones, and uninstalls', async () => {
    const registry = createPromiseClient(LcRegistryServiceService, h.schedulerAddress!, {
      token: h.token,
    });
    const orgs = async () =>
      (await registry.listOrgs({ serviceName: 'svc' })).orgs.map((o) => [o.oid, o.sensorCount]);
    expect((await h.post('/svc', lcBody('org_install', {}, { oid: 'o1' }))).json.success).toBe(
      true,
    );
    // new_sensor is not implemented by the handler: LimaCharlie hears so, the sensor is kept.
    const sensor = await h.post('/svc', lcBody('new_sensor', { sid: 's-1' }, { oid: 'o1' }));
    expect(sensor.json.data).toEqual({ error: 'not implemented' });
    expect(await orgs()).toEqual([['o1', 1]]);
    await h.post('/svc', lcBody('org_uninstall', {}, { oid: 'o1' }));
    expect(await orgs()).toEqual([]);
    registry.close();
  });
});

describe("an installed org's JWT", () => {
  it('is kept fresh from its callbacks, and never installs an org', async () => {
    const db = new pg.Pool({ connectionString: h.databaseUrl, max: 1 });
    const stored = async (oid: string) =>
      (
        await db.query<{ jwt: string }>(
          `SELECT jwt FROM lc_org WHERE service_name = 'svc' AND oid = $1`,
          [oid],
        )
      ).rows.map((r) => r.jwt);
    try {
      await h.post('/svc', lcBody('org_install', {}, { oid: 'o2', jwt: 'jwt-at-install' }));
      expect(await stored('o2')).toEqual(['jwt-at-install']);
      // Any later callback of the org carries a new JWT: the registry gets it, off the answer's path.
      await h.post('/svc', lcBody('request', {}, { oid: 'o2', jwt: 'jwt-later' }));
      await eventually(async () => (await stored('o2'))[0] === 'jwt-later', 'o2 kept its old JWT');
      // At most once per org and interval: jwt-refresh.spec.ts drives that with its own clock.
      // An org that never installed is not recorded by its callbacks.
      await h.post('/svc', lcBody('request', {}, { oid: 'stranger', jwt: 'j' }));
      await h.post('/svc', lcBody('org_install', {}, { oid: 'o4', jwt: 'o4-install' }));
      await h.post('/svc', lcBody('request', {}, { oid: 'o4', jwt: 'o4-later' }));
      await eventually(async () => (await stored('o4'))[0] === 'o4-later', 'o4 kept its old JWT');
      expect(await stored('stranger')).toEqual([]);
    } finally {
      await db.end();
    }
  });
});
