import { parseArgs } from 'node:util';
import { GrpcStatus, isGrpcError } from '@checkwire/grpc';
import { PasswordChangeState, type PasswordChange } from '@checkwire/proto';
import { positiveId } from './cli-args.js';
import { UsageError } from './cli-errors.js';
import type { Connection } from './connection.js';
import { USAGE } from './usage.js';

const STATES: Readonly<Record<string, PasswordChangeState>> = Object.freeze({
  pending: PasswordChangeState.PASSWORD_CHANGE_STATE_PENDING,
  applied: PasswordChangeState.PASSWORD_CHANGE_STATE_APPLIED,
  rejected: PasswordChangeState.PASSWORD_CHANGE_STATE_REJECTED,
});
const stateName = (s: PasswordChangeState) =>
  Object.entries(STATES).find(([, v]) => v === s)?.[0] ?? String(s);

/** One request as a line: what the white team reads to decide. */
export function pcrLine(c: PasswordChange): string {
  const when = c.requestTime?.toISOString() ?? '';
  const due =
    c.applyTime && c.state === PasswordChangeState.PASSWORD_CHANGE_STATE_PENDING
      ? ` (applies at ${c.applyTime.toISOString()})`
      : '';
  const reason = c.decisionReason ? `: ${c.decisionReason}` : '';
  // A pool request is no team's when the white team made it for a pool no single team uses.
  const what =
    c.credentialPoolId !== 0
      ? `pool ${c.credentialPoolId} ${JSON.stringify(c.credentialPoolName)} (${c.teamId === 0 ? 'no team' : `team ${c.teamId}`})`
      : `service ${c.serviceId} (team ${c.teamId})`;
  return `${c.id}  ${stateName(c.state)}  ${what}  user ${c.username}  requested ${when}${due}${reason}`;
}

/**
 * `--pool ID|NAME`: digits are an id; a name is looked up among the pools the token may list
 * (admin and check runners; a blue token gives the id, its services' credential_pool_id).
 */
async function poolId(c: Connection, value: string): Promise<number> {
  if (/^\d+$/.test(value)) return positiveId('--pool', value);
  const { credentialPools } = await c.admin.listCredentialPools({}).catch((err: unknown) => {
    if (isGrpcError(err) && err.code === GrpcStatus.PERMISSION_DENIED) {
      throw new UsageError(
        `--pool: this token may not look pools up by name; give the pool's id (the credential_pool_id of your services)`,
      );
    }
    throw err;
  });
  const found = credentialPools.find((p) => p.name === value);
  if (found === undefined) {
    throw new UsageError(`--pool: no credential pool named ${JSON.stringify(value)}`);
  }
  return found.id;
}

/** `pcr request|list|approve|reject …` */
export async function runPcr(args: string[], c: Connection): Promise<string> {
  const [verb, ...rest] = args;
  const pcr = c.passwordChanges;
  switch (verb) {
    case 'request': {
      const { values } = parseArgs({
        args: rest,
        options: {
          service: { type: 'string' },
          pool: { type: 'string' },
          username: { type: 'string' },
          password: { type: 'string' },
        },
      });
      if ((values.service === undefined) === (values.pool === undefined)) {
        throw new UsageError(
          "give one of --service ID (a service's own credentials) and --pool ID|NAME (a credential pool entry's password)",
        );
      }
      if (!values.password) throw new UsageError('--password is required');
      if (values.pool !== undefined && !values.username) {
        throw new UsageError(
          '--username is required with --pool: it names the entry whose password changes',
        );
      }
      const { passwordChange } = await pcr.requestPasswordChange({
        ...(values.pool === undefined
          ? { serviceId: positiveId('--service', values.service) }
          : { credentialPoolId: await poolId(c, values.pool) }),
        username: values.username ?? '',
        password: values.password,
      });
      return pcrLine(passwordChange!);
    }
    case 'list': {
      const { values } = parseArgs({
        args: rest,
        options: { state: { type: 'string' }, json: { type: 'boolean' } },
      });
      const state = values.state === undefined ? undefined : STATES[values.state];
      if (values.state !== undefined && state === undefined) {
        throw new UsageError(`--state must be one of ${Object.keys(STATES).join(', ')}`);
      }
      const { passwordChanges } = await pcr.listPasswordChanges({ state });
      if (values.json) return JSON.stringify(passwordChanges, null, 2);
      return passwordChanges.length === 0
        ? 'no password change requests'
        : passwordChanges.map(pcrLine).join('\n');
    }
    case 'approve':
    case 'reject': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { reason: { type: 'string' } },
      });
      if (positionals.length !== 1) throw new UsageError(`${verb} takes one request id`);
      const { passwordChange } = await pcr.decidePasswordChange({
        id: positiveId('ID', positionals[0]),
        approve: verb === 'approve',
        reason: values.reason ?? '',
      });
      return pcrLine(passwordChange!);
    }
    default:
      throw new UsageError(USAGE);
  }
}
