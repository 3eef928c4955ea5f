import { envOptional } from '@checkwire/config';
import { CliError } from './cli-errors.js';
import { embeddedClusterUrl } from './embedded-cluster.js';

type Env = Record<string, string | undefined>;

/** The database a command writes to, and what to do when it cannot. */
export interface DatabaseTarget {
  url: string;
  /** What to do when it refuses us, e.g. `fix DATABASE_URL`. */
  fix: string;
  /** What to do when it cannot be reached. */
  fixUnreachable: string;
}

const isPostgresUrl = (value: string): boolean =>
  URL.canParse(value) && ['postgres:', 'postgresql:'].includes(new URL(value).protocol);

/** DATABASE_URL when it is set, else the PostgreSQL `npm start` runs (see embedded-cluster.ts). */
export function databaseTarget(env: Env): DatabaseTarget {
  const url = envOptional(env, 'DATABASE_URL');
  if (url === undefined) {
    const fix = 'restart the stack with npm start, or set DATABASE_URL';
    return { url: embeddedClusterUrl(env), fix, fixUnreachable: fix };
  }
  if (!isPostgresUrl(url)) {
    throw new CliError(
      'DATABASE_URL is not a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL: fix it, or unset it to use the PostgreSQL npm start runs',
    );
  }
  return { url, fix: 'fix DATABASE_URL', fixUnreachable: 'start it, or fix DATABASE_URL' };
}
