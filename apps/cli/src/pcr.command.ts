import { parseArgs } from 'node:util';
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
  return `${c.id}  ${stateName(c.state)}  service ${c.serviceId} (team ${c.teamId})  user ${c.username}  requested ${when}${due}${reason}`;
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
          username: { type: 'string' },
          password: { type: 'string' },
        },
      });
      if (!values.password) throw new UsageError('--password is required');
      const { passwordChange } = await pcr.requestPasswordChange({
        serviceId: positiveId('--service', values.service),
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
