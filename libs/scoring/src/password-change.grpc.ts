import type { PcrState } from '@checkwire/db';
import { InvalidArgumentError } from '@checkwire/errors';
import { unary, type ServiceBinding } from '@checkwire/grpc';
import {
  PasswordChangeServiceService,
  PasswordChangeState,
  type PasswordChange,
  type PasswordChangeServiceServer,
} from '@checkwire/proto';
import type { Access } from './access.js';
import { PASSWORD_CHANGE_POLICY } from './password-change.policy.js';
import type { PcrRow } from './password-change.repository.js';
import type { PasswordChanges } from './password-change.service.js';

const STATE_TO_PROTO: Record<PcrState, PasswordChangeState> = {
  pending: PasswordChangeState.PASSWORD_CHANGE_STATE_PENDING,
  applied: PasswordChangeState.PASSWORD_CHANGE_STATE_APPLIED,
  rejected: PasswordChangeState.PASSWORD_CHANGE_STATE_REJECTED,
};

function stateFromProto(s: PasswordChangeState): PcrState | undefined {
  if (s === PasswordChangeState.PASSWORD_CHANGE_STATE_UNSPECIFIED) return undefined;
  const found = (Object.keys(STATE_TO_PROTO) as PcrState[]).find((k) => STATE_TO_PROTO[k] === s);
  if (found === undefined) throw new InvalidArgumentError('state', `unknown state ${s}`);
  return found;
}

function toProto(r: PcrRow): PasswordChange {
  return {
    id: r.id,
    serviceId: r.service_id ?? 0,
    teamId: r.team_id ?? 0,
    username: r.username,
    password: r.password,
    state: STATE_TO_PROTO[r.state],
    applyTime: r.apply_after ?? undefined,
    requestTime: r.requested_at,
    decideTime: r.decided_at ?? undefined,
    decisionReason: r.decision_reason,
    credentialPoolId: r.pool_id ?? 0,
    credentialPoolName: r.pool_name ?? '',
  };
}

/** gRPC edge of checkwire.scoring.v1.PasswordChangeService. */
export function passwordChangeServiceBinding(
  changes: PasswordChanges,
  access: Access,
): ServiceBinding {
  const implementation: PasswordChangeServiceServer = {
    requestPasswordChange: unary(
      access.unary(PASSWORD_CHANGE_POLICY, 'requestPasswordChange', async (req, _context, p) => {
        const row = await changes.request(p, req);
        // The requester wrote the password; it is not echoed back to a blue token.
        return { passwordChange: toProto(p.role === 'admin' ? row : { ...row, password: '' }) };
      }),
    ),
    listPasswordChanges: unary(
      access.unary(PASSWORD_CHANGE_POLICY, 'listPasswordChanges', async (req, _context, p) => ({
        passwordChanges: (await changes.list(p, stateFromProto(req.state))).map(toProto),
      })),
    ),
    decidePasswordChange: unary(
      access.unary(PASSWORD_CHANGE_POLICY, 'decidePasswordChange', async (req, _context, p) => ({
        passwordChange: toProto(await changes.decide(p, req.id, req.approve, req.reason)),
      })),
    ),
  };
  return {
    name: 'checkwire.scoring.v1.PasswordChangeService',
    definition: PasswordChangeServiceService,
    implementation,
  };
}
