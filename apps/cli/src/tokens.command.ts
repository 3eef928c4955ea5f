import { parseArgs } from 'node:util';
import { UsageError } from './cli-errors.js';
import type { Connection } from './connection.js';
import { ROLES, roleName, tokenTable } from './token-table.js';
import { USAGE } from './usage.js';

function integer(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new UsageError(`${flag} must be a positive id, got "${value}"`);
  return n;
}

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
      return `${tokenTable([token!])}\nsecret (shown once, store it now): ${secret}`;
    }
    case 'list': {
      const { values } = parseArgs({ args: rest, options: { all: { type: 'boolean' } } });
      const { tokens } = await c.tokens.listTokens({ includeRevoked: values.all ?? false });
      return tokenTable(tokens);
    }
    case 'revoke': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true });
      if (positionals.length !== 1) throw new UsageError('revoke takes one token id');
      const { token } = await c.tokens.revokeToken({ id: integer('ID', positionals[0]!) });
      return tokenTable([token!]);
    }
    default:
      throw new UsageError(USAGE);
  }
}

export async function runWhoAmI(c: Connection): Promise<string> {
  const { role, token } = await c.tokens.whoAmI({});
  return token === undefined ? roleName(role) : tokenTable([token]);
}
