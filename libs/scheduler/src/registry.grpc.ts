import type { CallGuard, RoleName } from '@checkwire/auth';
import type { Db } from '@checkwire/db';
import { nonEmpty, text } from '@checkwire/errors';
import { unary, type ServiceBinding } from '@checkwire/grpc';
import { LcRegistryServiceService, type LcRegistryServiceServer } from '@checkwire/proto';
import {
  listInstalledOrgs,
  recordInstalled,
  recordSensors,
  recordUninstalled,
} from './registry.repository.js';

const WRITERS: readonly RoleName[] = ['admin', 'check_runner', 'lc_gateway'];

/** gRPC edge of checkwire.scheduler.v1.LcRegistryService (admin and check_runner tokens). */
export function registryServiceBinding(db: Db, guard: CallGuard): ServiceBinding {
  const rpc = (name: string) => `LcRegistryService.${name}`;
  const implementation: LcRegistryServiceServer = {
    recordOrgInstalled: unary(
      guard.unary(WRITERS, rpc('RecordOrgInstalled'), async (req) => {
        await recordInstalled(
          db,
          nonEmpty('service_name', req.serviceName, 200),
          nonEmpty('oid', req.oid, 200),
          text('jwt', req.jwt, 100_000),
        );
        return {};
      }),
    ),
    recordOrgUninstalled: unary(
      guard.unary(WRITERS, rpc('RecordOrgUninstalled'), async (req) => {
        await recordUninstalled(
          db,
          nonEmpty('service_name', req.serviceName, 200),
          nonEmpty('oid', req.oid, 200),
        );
        return {};
      }),
    ),
    recordSensors: unary(
      guard.unary(WRITERS, rpc('RecordSensors'), async (req) => {
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
      guard.unary(WRITERS, rpc('ListOrgs'), async (req) => ({
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
