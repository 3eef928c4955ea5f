import { parseArgs } from 'node:util';
import { positiveId } from './cli-args.js';
import { UsageError } from './cli-errors.js';
import type { Connection } from './connection.js';
import { ROLES, roleName, tokenTable } from './token-table.js';
import { USAGE } from './usage.js';

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
        teamId: values.team === undefined ? undefined : positiveId('--team', values.team),
        subtypes: values.subtype ?? [],
        serviceIds: (values.service ?? []).map((s) => positiveId('--service', s)),
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
      const { token } = await c.tokens.revokeToken({ id: positiveId('ID', positionals[0]) });
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
