import { definePolicy, type RoleName } from '@checkwire/auth';
import type { LcRegistryServiceServer } from '@checkwire/proto';

/** The white team and the LC gateway, which reports installs, uninstalls and new sensors. */
const GATEWAY: readonly RoleName[] = ['admin', 'lc_gateway'];

/** Who may call each LcRegistryService RPC. */
export const REGISTRY_POLICY = definePolicy<LcRegistryServiceServer>('LcRegistryService', {
  recordOrgInstalled: GATEWAY,
  recordOrgUninstalled: GATEWAY,
  recordOrgJwt: GATEWAY,
  recordSensors: GATEWAY,
  listOrgs: GATEWAY,
});
