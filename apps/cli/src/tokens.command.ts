import { parseArgs } from 'node:util';
import { Role, type ApiToken } from '@checkwire/proto';
import type { Connection } from './connection.js';

const ROLES: Record<string, Role> = {
  admin: Role.ROLE_ADMIN,
  check_runner: Role.ROLE_CHECK_RUNNER,
  blue: Role.ROLE_BLUE,
  red: Role.ROLE_RED,
  green: Role.ROLE_GREEN,
  lc_gateway: Role.ROLE_LC_GATEWAY,
  scheduler: Role.ROLE_SCHEDULER,
};
const roleName = (role: Role) =>
  Object.entries(ROLES).find(([, r]) => r === role)?.[0] ??
  (role === Role.ROLE_PUBLIC ? 'public' : String(role));

export const TOKENS_USAGE = `checkwire tokens create --name NAME --role admin|check_runner|blue|red|green|lc_gateway|scheduler
                        [--team ID] [--subtype S]... [--service ID]...
checkwire tokens list [--all]
checkwire tokens revoke ID
checkwire whoami
checkwire bootstrap   (DATABASE_URL: the first admin token, on a database without tokens)`;

function row(t: ApiToken): string {
  const limits = [
    t.teamId === undefined ? '' : `team ${t.teamId}`,
    t.subtypes.length ? `subtypes ${t.subtypes.join(',')}` : '',
    t.serviceIds.length ? `services ${t.serviceIds.join(',')}` : '',
  ].filter(Boolean);
  return [
    String(t.id).padEnd(5),
    roleName(t.role).padEnd(13),
    `${t.prefix}…`.padEnd(10),
    (t.revokeTime ? 'revoked' : 'live').padEnd(8),
    t.name,
    limits.length ? `(${limits.join('; ')})` : '',
  ]
    .join(' ')
    .trimEnd();
}

function integer(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new UsageError(`${flag} must be a positive id, got "${value}"`);
  return n;
}

export class UsageError extends Error {}

/** `tokens …` and `whoami`; returns what to print. */
export async function runTokens(args: string[], c: Connection): Promise<string> {
  const [verb, ...rest] = args;
  switch (verb) {
    case 'create': {
      const { values } = parseArgs({
        args: rest,
        options: {
          name: { type: 'string' },
          role: { type: 'string' },
          team: { type: 'string' },
          subtype: { type: 'string', multiple: true },
          service: { type: 'string', multiple: true },
        },
      });
      if (values.name === undefined) throw new UsageError('--name is required');
      const role = ROLES[values.role ?? ''];
      if (role === undefined) {
        throw new UsageError(`--role must be one of ${Object.keys(ROLES).join(', ')}`);
      }
      const { token, secret } = await c.tokens.createToken({
        name: values.name,
        role,
        teamId: values.team === undefined ? undefined : integer('--team', values.team),
        subtypes: values.subtype ?? [],
        serviceIds: (values.service ?? []).map((s) => integer('--service', s)),
      });
      return `${row(token!)}\nsecret (shown once, store it now): ${secret}`;
    }
    case 'list': {
      const { values } = parseArgs({ args: rest, options: { all: { type: 'boolean' } } });
      const { tokens } = await c.tokens.listTokens({ includeRevoked: values.all ?? false });
      return ['id    role          prefix     state    name', ...tokens.map(row)].join('\n');
    }
    case 'revoke': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true });
      if (positionals.length !== 1) throw new UsageError('revoke takes one token id');
      const { token } = await c.tokens.revokeToken({ id: integer('ID', positionals[0]!) });
      return row(token!);
    }
    default:
      throw new UsageError(TOKENS_USAGE);
  }
}

export async function runWhoAmI(c: Connection): Promise<string> {
  const { role, token } = await c.tokens.whoAmI({});
  return token === undefined ? roleName(role) : row(token);
}
