import { InvalidArgumentError } from '@checkwire/errors';
import { unary, type ServiceBinding } from '@checkwire/grpc';
import { AdminServiceService, type AdminServiceServer, type Service } from '@checkwire/proto';
import type { Access } from './access.js';
import { ADMIN_POLICY } from './admin.policy.js';
import type { Administration } from './admin.service.js';
import { credentialPoolToProto, serviceFromProto, teamToProto } from './proto-mappers.js';
import { maskedServiceToProto, serviceReadMask, serviceToProto } from './service-fields.js';

function requireService(service: Service | undefined): Service {
  if (service === undefined) throw new InvalidArgumentError('service', 'is required');
  return service;
}

/**
 * gRPC edge of checkwire.scoring.v1.AdminService. Writes are admin-only; teams are public;
 * services are filtered by visibility and stripped of credentials below admin/check runner;
 * credential pools are for admin and check runners (a limited runner: those its services use).
 */
export function adminServiceBinding(admin: Administration, access: Access): ServiceBinding {
  const implementation: AdminServiceServer = {
    createTeam: unary(
      access.unary(ADMIN_POLICY, 'createTeam', async (req) => ({
        team: teamToProto(await admin.createTeam(req.name)),
      })),
    ),
    updateTeam: unary(
      access.unary(ADMIN_POLICY, 'updateTeam', async (req) => ({
        team: teamToProto(await admin.updateTeam(req.id, req.name)),
      })),
    ),
    getTeam: unary(
      access.unary(ADMIN_POLICY, 'getTeam', async (req) => ({
        team: teamToProto(await admin.getTeam(req.id)),
      })),
    ),
    listTeams: unary(
      access.unary(ADMIN_POLICY, 'listTeams', async () => ({
        teams: (await admin.listTeams()).map(teamToProto),
      })),
    ),

    createService: unary(
      access.unary(ADMIN_POLICY, 'createService', async (req) => {
        const draft = serviceFromProto(requireService(req.service));
        return { service: serviceToProto(await admin.createService(draft)) };
      }),
    ),
    updateService: unary(
      access.unary(ADMIN_POLICY, 'updateService', async (req, _context, p) => {
        const service = requireService(req.service);
        const row = await admin.updateService(
          service.id,
          serviceFromProto(service),
          req.updateMask ?? [],
          p,
        );
        return { service: serviceToProto(row) };
      }),
    ),
    getService: unary(
      access.unary(ADMIN_POLICY, 'getService', async (req, _context, p) => ({
        service: serviceToProto(await admin.getService(req.id, p)),
      })),
    ),
    listServices: unary(
      access.unary(ADMIN_POLICY, 'listServices', async (req, _context, p) => {
        const mask = serviceReadMask(req.readMask ?? []);
        if (mask === undefined) {
          return { services: (await admin.listServices(req.teamId, p)).map(serviceToProto) };
        }
        const rows = await admin.listServiceColumns(req.teamId, p, mask.columns);
        return { services: rows.map((row) => maskedServiceToProto(row, mask)) };
      }),
    ),

    createCredentialPool: unary(
      access.unary(ADMIN_POLICY, 'createCredentialPool', async (req) => ({
        credentialPool: credentialPoolToProto(
          await admin.createCredentialPool(req.name, req.credentials),
        ),
      })),
    ),
    updateCredentialPool: unary(
      access.unary(ADMIN_POLICY, 'updateCredentialPool', async (req) => ({
        credentialPool: credentialPoolToProto(
          await admin.updateCredentialPool(req.id, req.name, req.credentials, req.updateMask ?? []),
        ),
      })),
    ),
    getCredentialPool: unary(
      access.unary(ADMIN_POLICY, 'getCredentialPool', async (req, _context, p) => ({
        credentialPool: credentialPoolToProto(await admin.getCredentialPool(req.id, p)),
      })),
    ),
    listCredentialPools: unary(
      access.unary(ADMIN_POLICY, 'listCredentialPools', async (_req, _context, p) => ({
        credentialPools: (await admin.listCredentialPools(p)).map(credentialPoolToProto),
      })),
    ),
  };
  return {
    name: 'checkwire.scoring.v1.AdminService',
    definition: AdminServiceService,
    implementation,
  };
}
