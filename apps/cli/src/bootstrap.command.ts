import { parseArgs } from 'node:util';
import { isCheckwireError } from '@checkwire/errors';
import { mintBootstrapToken } from '@checkwire/scoring';
import { CliError, UsageError } from './cli-errors.js';
import { databaseError } from './database-error.js';
import { databaseTarget } from './database-target.js';

type Env = Record<string, string | undefined>;

const NEW_ADMIN_NAME = 'recovered admin';

/**
 * `bootstrap [--new-admin [--name NAME]]`: an admin token minted straight in the database and
 * printed to this terminal only. Plain, only on a database without tokens (where the scoring
 * server's own bootstrap is off, SCORING_BOOTSTRAP_ADMIN_TOKEN=off, to keep it out of pod logs);
 * with --new-admin, even when tokens exist (the white team lost its admin token). The database is
 * DATABASE_URL, else the PostgreSQL `npm start` runs.
 */
export async function runBootstrap(args: string[], env: Env): Promise<string> {
  const { values } = parseArgs({
    args,
    options: { 'new-admin': { type: 'boolean' }, name: { type: 'string' } },
  });
  const newAdmin = values['new-admin'] === true;
  if (values.name !== undefined && !newAdmin) throw new UsageError('--name goes with --new-admin');
  const target = databaseTarget(env);
  const name = newAdmin ? (values.name ?? NEW_ADMIN_NAME) : undefined;
  const secret = await mintBootstrapToken(target.url, { newAdminName: name }).catch(
    (err: unknown) => {
      if (isCheckwireError(err)) throw new UsageError(err.message);
      throw databaseError(err, target);
    },
  );
  if (secret === undefined) {
    throw new CliError(
      'tokens exist already; to mint another admin token use `bootstrap --new-admin`',
    );
  }
  const minted = `admin token (shown once, store it now):\n  CHECKWIRE_TOKEN=${secret}`;
  return newAdmin
    ? `${minted}\nthe lost one works until revoked: find it with \`tokens list\`, then \`tokens revoke ID\``
    : minted;
}
