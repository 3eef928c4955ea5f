import type { Principal } from '@checkwire/auth';
import type { Db } from '@checkwire/db';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  requireId,
} from '@checkwire/errors';
import {
  lockCredentialPool,
  poolHasEntry,
  poolUsers,
  setPoolEntryPassword,
  setServiceCredentials,
  type PcrRow,
} from './password-change.repository.js';
import { findService } from './service.repository.js';
import { findTeam } from './team.repository.js';

// What a password change request changes: a service's own credentials, or the password of one
// entry of a credential pool (pools are competition-wide; services name one to draw from).

/** The target as the request names it, before anything is read. */
export type PcrTargetRef = { kind: 'service'; id: number } | { kind: 'pool'; id: number };

/** Exactly one of service_id and credential_pool_id (0 is unset, as proto3 sends it). */
export function targetOf(serviceId: number, poolId: number): PcrTargetRef {
  if (serviceId !== 0 && poolId !== 0) {
    throw new InvalidArgumentError(
      'credential_pool_id',
      "must be 0 when service_id is set: a request changes a service's own credentials or a credential pool entry's password, not both",
    );
  }
  if (poolId !== 0) return { kind: 'pool', id: requireId('credential_pool_id', poolId) };
  if (serviceId === 0) {
    throw new InvalidArgumentError(
      'service_id',
      "set service_id (a service's own credentials) or credential_pool_id (an entry of a credential pool), got neither",
    );
  }
  return { kind: 'service', id: requireId('service_id', serviceId) };
}

/** The target read and allowed: what the request row and its audit entry record. */
export interface PcrTarget {
  serviceId: number | null;
  poolId: number | null;
  teamId: number | null;
  /** The service's new username, or the pool entry whose password changes. */
  username: string;
  /** Names it in the audit log. */
  subject: string;
  /** The audit entry's `before` (never a password). */
  before: Record<string, unknown> | null;
}

/**
 * Reads the target and checks the principal may change it. A blue team: its own service (any
 * other is NOT_FOUND, as if it did not exist), or a pool its own services use; admin: any.
 * `username` is checked for length by the caller; '' keeps a service's current one.
 */
export async function resolveTarget(
  trx: Db,
  p: Principal,
  ref: PcrTargetRef,
  username: string,
): Promise<PcrTarget> {
  return ref.kind === 'service'
    ? serviceTarget(trx, p, ref.id, username)
    : poolTarget(trx, p, ref.id, username);
}

async function serviceTarget(
  trx: Db,
  p: Principal,
  serviceId: number,
  username: string,
): Promise<PcrTarget> {
  const service = await findService(trx, serviceId).catch(() => undefined);
  if (service === undefined || (p.role === 'blue' && service.team_id !== p.teamId)) {
    throw new NotFoundError('service', serviceId);
  }
  if (service.disabled_at !== null) {
    throw new FailedPreconditionError(
      `service ${serviceId} is no longer in the competition; its credentials are not checked`,
    );
  }
  const team = await findTeam(trx, service.team_id);
  return {
    serviceId,
    poolId: null,
    teamId: service.team_id,
    username: username === '' ? service.username : username,
    subject: `service ${serviceId} (${team.name}/${service.name})`,
    before: { username: service.username },
  };
}

/**
 * A pool entry. A blue team may change one only while every service that uses the pool (disabled
 * ones too: the competition file may bring them back) is its own and at least one of them is
 * checked: a pool none of its services use is NOT_FOUND to it, like another team's service; a
 * pool it shares with another team's services is FAILED_PRECONDITION (it knows the pool, its own
 * services name it; which other teams use it is not said). Admin may change any pool's entries;
 * the request is then the team's whose services use the pool, or no team's if not exactly one.
 */
async function poolTarget(
  trx: Db,
  p: Principal,
  poolId: number,
  username: string,
): Promise<PcrTarget> {
  if (username === '') {
    throw new InvalidArgumentError(
      'username',
      'required with credential_pool_id: it names the pool entry whose password changes',
    );
  }
  const pool = await lockCredentialPool(trx, poolId);
  if (pool === undefined) throw new NotFoundError('credential pool', poolId);
  const users = await poolUsers(trx, poolId);
  const teams = new Set(users.map((u) => u.team_id));
  let teamId: number | null;
  if (p.role === 'blue') {
    if (!teams.has(p.teamId)) throw new NotFoundError('credential pool', poolId);
    if (teams.size > 1) {
      throw new FailedPreconditionError(
        `credential pool ${poolId} is also used by another team's services; only the white team can change its entries`,
      );
    }
    if (!users.some((u) => u.enabled)) {
      throw new FailedPreconditionError(
        `no service of your team in the competition uses credential pool ${poolId}; its credentials are not checked`,
      );
    }
    teamId = p.teamId;
  } else {
    teamId = teams.size === 1 ? [...teams][0]! : null;
  }
  const subject = poolSubject(poolId, pool.name, username);
  if (!(await poolHasEntry(trx, poolId, username))) {
    throw new InvalidArgumentError(
      'username',
      `${subject} does not exist; name one of the pool's usernames (a request changes an entry's password, it does not add an entry)`,
    );
  }
  return { serviceId: null, poolId, teamId, username, subject, before: null };
}

const poolSubject = (poolId: number, name: string, username: string) =>
  `credential pool ${poolId} (${name}) entry ${JSON.stringify(username)}`;

/** How the audit log names a request's target. */
export async function subjectOf(db: Db, pcr: PcrRow): Promise<string> {
  if (pcr.pool_id !== null) return poolSubject(pcr.pool_id, pcr.pool_name ?? '', pcr.username);
  const service = await findService(db, pcr.service_id!);
  const team = await findTeam(db, service.team_id);
  return `service ${service.id} (${team.name}/${service.name})`;
}

/**
 * Writes the request's credentials where the checks read them (the next round's checks use them).
 * False when a pool's entry is gone (the pool's credentials were replaced since the request).
 */
export async function writeCredentials(trx: Db, pcr: PcrRow): Promise<boolean> {
  if (pcr.pool_id !== null) {
    return setPoolEntryPassword(trx, pcr.pool_id, pcr.username, pcr.password);
  }
  await setServiceCredentials(trx, pcr.service_id!, pcr.username, pcr.password);
  return true;
}
