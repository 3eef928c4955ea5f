import { InvalidArgumentError } from '@checkwire/errors';
import { unary, type ServiceBinding } from '@checkwire/grpc';
import { AdminServiceService, type AdminServiceServer, type Service } from '@checkwire/proto';
import type { Administration } from './admin.service.js';
import {
  credentialPoolToProto,
  serviceFromProto,
  serviceToProto,
  teamToProto,
} from './proto-mappers.js';

function requireService(service: Service | undefined): Service {
  if (service === undefined) throw new InvalidArgumentError('service', 'is required');
  return service;
}

/** gRPC edge of checkwire.scoring.v1.AdminService. */
export function adminServiceBinding(admin: Administration): ServiceBinding {
  const implementation: AdminServiceServer = {
    createTeam: unary(async (req) => ({ team: teamToProto(await admin.createTeam(req.name)) })),
    updateTeam: unary(async (req) => ({
      team: teamToProto(await admin.updateTeam(req.id, req.name)),
    })),
    getTeam: unary(async (req) => ({ team: teamToProto(await admin.getTeam(req.id)) })),
    listTeams: unary(async () => ({ teams: (await admin.listTeams()).map(teamToProto) })),

    createService: unary(async (req) => {
      const draft = serviceFromProto(requireService(req.service));
      return { service: serviceToProto(await admin.createService(draft)) };
    }),
    updateService: unary(async (req) => {
      const service = requireService(req.service);
      const row = await admin.updateService(
        service.id,
        serviceFromProto(service),
        req.updateMask ?? [],
      );
      return { service: serviceToProto(row) };
    }),
    getService: unary(async (req) => ({
      service: serviceToProto(await admin.getService(req.id)),
    })),
    listServices: unary(async (req) => ({
      services: (await admin.listServices(req.teamId)).map(serviceToProto),
    })),

    createCredentialPool: unary(async (req) => ({
      credentialPool: credentialPoolToProto(
        await admin.createCredentialPool(req.name, req.credentials),
      ),
    })),
    updateCredentialPool: unary(async (req) => ({
      credentialPool: credentialPoolToProto(
        await admin.updateCredentialPool(req.id, req.name, req.credentials, req.updateMask ?? []),
      ),
    })),
    getCredentialPool: unary(async (req) => ({
      credentialPool: credentialPoolToProto(await admin.getCredentialPool(req.id)),
    })),
    listCredentialPools: unary(async () => ({
      credentialPools: (await admin.listCredentialPools()).map(credentialPoolToProto),
    })),
  };
  return {
    name: 'checkwire.scoring.v1.AdminService',
    definition: AdminServiceService,
    implementation,
  };
}
