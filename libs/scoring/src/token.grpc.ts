import type { RoleName, TokenRecord, TokenAdministration } from '@checkwire/auth';
import type { TokenRoleName } from '@checkwire/db';
import { InvalidArgumentError } from '@checkwire/errors';
import { unary, type ServiceBinding } from '@checkwire/grpc';
import {
  Role,
  TokenServiceService,
  type ApiToken,
  type TokenServiceServer,
} from '@checkwire/proto';
import type { Access } from './access.js';
import { TOKEN_POLICY } from './token.policy.js';

const ROLE_TO_PROTO: Record<RoleName, Role> = {
  admin: Role.ROLE_ADMIN,
  check_runner: Role.ROLE_CHECK_RUNNER,
  blue: Role.ROLE_BLUE,
  red: Role.ROLE_RED,
  green: Role.ROLE_GREEN,
  public: Role.ROLE_PUBLIC,
  lc_gateway: Role.ROLE_LC_GATEWAY,
  scheduler: Role.ROLE_SCHEDULER,
};

function tokenRoleFromProto(role: Role): TokenRoleName {
  const entry = Object.entries(ROLE_TO_PROTO).find(([name, v]) => v === role && name !== 'public');
  if (entry === undefined) {
    throw new InvalidArgumentError(
      'role',
      `must be ROLE_ADMIN, ROLE_CHECK_RUNNER, ROLE_BLUE, ROLE_RED, ROLE_GREEN, ROLE_LC_GATEWAY or ROLE_SCHEDULER, got ${role}`,
    );
  }
  return entry[0] as TokenRoleName;
}

function tokenToProto(t: TokenRecord): ApiToken {
  return {
    id: t.id,
    name: t.name,
    role: ROLE_TO_PROTO[t.role],
    teamId: t.team_id ?? undefined,
    subtypes: t.subtypes,
    serviceIds: t.service_ids,
    prefix: t.prefix,
    createTime: t.created_at,
    revokeTime: t.revoked_at ?? undefined,
  };
}

/** gRPC edge of checkwire.auth.v1.TokenService: admin-only, except WhoAmI. */
export function tokenServiceBinding(tokens: TokenAdministration, access: Access): ServiceBinding {
  const implementation: TokenServiceServer = {
    createToken: unary(
      access.unary(TOKEN_POLICY, 'createToken', async (req) => {
        const issued = await tokens.create({
          name: req.name,
          role: tokenRoleFromProto(req.role),
          teamId: req.teamId,
          subtypes: req.subtypes,
          serviceIds: req.serviceIds,
        });
        return { token: tokenToProto(issued.token), secret: issued.secret };
      }),
    ),
    listTokens: unary(
      access.unary(TOKEN_POLICY, 'listTokens', async (req) => ({
        tokens: (await tokens.list(req.includeRevoked)).map(tokenToProto),
      })),
    ),
    revokeToken: unary(
      access.unary(TOKEN_POLICY, 'revokeToken', async (req) => ({
        token: tokenToProto(await tokens.revoke(req.id)),
      })),
    ),
    whoAmI: unary(
      access.unary(TOKEN_POLICY, 'whoAmI', async (_req, _context, p) => {
        if (p.role === 'public') return { role: Role.ROLE_PUBLIC, token: undefined };
        return { role: ROLE_TO_PROTO[p.role], token: tokenToProto(await tokens.get(p.tokenId)) };
      }),
    ),
  };
  return {
    name: 'checkwire.auth.v1.TokenService',
    definition: TokenServiceService,
    implementation,
  };
}
