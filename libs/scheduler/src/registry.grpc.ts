import type { CallGuard } from '@checkwire/auth';
import type { Db } from '@checkwire/db';
import { nonEmpty, text } from '@checkwire/errors';
import { unary, type ServiceBinding } from '@checkwire/grpc';
import { LcRegistryServiceService, type LcRegistryServiceServer } from '@checkwire/proto';
import {
  listInstalledOrgs,
  recordInstalled,
  recordJwt,
  recordSensors,
  recordUninstalled,
} from './registry.repository.js';
import { REGISTRY_POLICY } from './registry.policy.js';

/** gRPC edge of checkwire.scheduler.v1.LcRegistryService (REGISTRY_POLICY: admin, the gateway). */
export function registryServiceBinding(db: Db, guard: CallGuard): ServiceBinding {
  const implementation: LcRegistryServiceServer = {
    recordOrgInstalled: unary(
      guard.unary(REGISTRY_POLICY, 'recordOrgInstalled', async (req) => {
        await recordInstalled(
          db,
          nonEmpty('service_name', req.serviceName, 200),
          nonEmpty('oid', req.oid, 200),
          text('jwt', req.jwt, 100_000),
        );
        return {};
      }),
    ),
    recordOrgJwt: unary(
      guard.unary(REGISTRY_POLICY, 'recordOrgJwt', async (req) => ({
        updated: await recordJwt(
          db,
          nonEmpty('service_name', req.serviceName, 200),
          nonEmpty('oid', req.oid, 200),
          nonEmpty('jwt', req.jwt, 100_000),
        ),
      })),
    ),
    recordOrgUninstalled: unary(
      guard.unary(REGISTRY_POLICY, 'recordOrgUninstalled', async (req) => {
        await recordUninstalled(
          db,
          nonEmpty('service_name', req.serviceName, 200),
          nonEmpty('oid', req.oid, 200),
        );
        return {};
      }),
    ),
    recordSensors: unary(
      guard.unary(REGISTRY_POLICY, 'recordSensors', async (req) => {
        const sids = req.sensorIds.map((s, i) => nonEmpty(`sensor_ids[${i}]`, s, 200));
        const added = await recordSensors(
          db,
          nonEmpty('service_name', req.serviceName, 200),
          nonEmpty('oid', req.oid, 200),
          sids,
        );
        return { added };
      }),
    ),
    listOrgs: unary(
      guard.unary(REGISTRY_POLICY, 'listOrgs', async (req) => ({
        orgs: (await listInstalledOrgs(db, nonEmpty('service_name', req.serviceName, 200))).map(
          (o) => ({ oid: o.oid, installedAt: o.installed_at, sensorCount: Number(o.sensor_count) }),
        ),
      })),
    ),
  };
  return {
    name: 'checkwire.scheduler.v1.LcRegistryService',
    definition: LcRegistryServiceService,
    implementation,
  };
}
