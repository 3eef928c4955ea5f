import { definePolicy } from '@checkwire/auth';
import type { AdminServiceServer } from '@checkwire/proto';
import { ADMIN_ONLY, ANYONE, SCORERS } from './roles.js';

const SEES = 'filtered by visibility; credentials for admin and check_runner only';

/** Who may call each AdminService RPC. */
export const ADMIN_POLICY = definePolicy<AdminServiceServer>(
  'AdminService',
  {
    createTeam: ADMIN_ONLY,
    updateTeam: ADMIN_ONLY,
    getTeam: ANYONE,
    listTeams: ANYONE,
    createService: ADMIN_ONLY,
    updateService: ADMIN_ONLY,
    getService: ANYONE,
    listServices: ANYONE,
    createCredentialPool: ADMIN_ONLY,
    updateCredentialPool: ADMIN_ONLY,
    getCredentialPool: SCORERS,
    listCredentialPools: SCORERS,
  },
  {
    getService: SEES,
    listServices: SEES,
    getCredentialPool: 'a limited check_runner: the pools its services use',
    listCredentialPools: 'a limited check_runner: the pools its services use',
  },
);
