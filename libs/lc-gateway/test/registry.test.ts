import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import { LcService } from '@checkwire/lc-sdk';
import { LcRegistryServiceService } from '@checkwire/proto';
import { lcBody, startGateway, type GatewayHarness } from './harness.js';

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
