import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { envString } from '@checkwire/config';
import { CliError } from './cli-errors.js';

type Env = Record<string, string | undefined>;

// The layout `npm start` gives its PostgreSQL (tools/stack, libs/db's startEmbeddedPostgres). The
// CLI is an app, which may not import libs/db; libs/auth/test/recover-admin-token.test.ts runs it
// against a cluster libs/db started, so a drift fails there.
/** libs/db's PASSWORD_FILE: the superuser's password, in the cluster's directory (mode 0600). */
const PASSWORD_FILE = 'checkwire.password';
const SUPERUSER = 'postgres';
/** The database `npm start` creates and migrates. */
const DATABASE = 'checkwire';
/** libs/db makes the cluster listen there only. */
const HOST = '127.0.0.1';
/** PostgreSQL's postmaster.pid holds a value a line: line 1 the postmaster's pid, line 4 its port. */
const PID_LINE = 0;
const PORT_LINE = 3;

const START_IT = 'start the stack with npm start, or set DATABASE_URL';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, run by another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The file's text; undefined when it does not exist. */
function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') return undefined;
    throw new CliError(
      `cannot read ${path} (${code}): run this as the user that runs npm start, or set DATABASE_URL`,
    );
  }
}

/**
 * The URL of the PostgreSQL `npm start` runs in CHECKWIRE_DATA_DIR (default .data), with its
 * superuser's password; a CliError saying what to do when there is none or it is not running.
 */
export function embeddedClusterUrl(env: Env): string {
  const dataDir = resolve(envString(env, 'CHECKWIRE_DATA_DIR', '.data'), 'postgres');
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new CliError(`no embedded PostgreSQL in ${dataDir}: ${START_IT}`);
  }
  const pidFile = readIfExists(join(dataDir, 'postmaster.pid'))?.split('\n');
  const pid = Number(pidFile?.[PID_LINE]);
  if (pidFile === undefined || !Number.isSafeInteger(pid) || pid <= 0 || !isAlive(pid)) {
    throw new CliError(`the embedded PostgreSQL in ${dataDir} is not running: ${START_IT}`);
  }
  const port = Number(pidFile[PORT_LINE]);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new CliError(
      `${dataDir}/postmaster.pid names no port (line 4): restart the stack with npm start`,
    );
  }
  const password = readIfExists(join(dataDir, PASSWORD_FILE))?.trim();
  if (password === undefined) {
    throw new CliError(`no ${PASSWORD_FILE} in ${dataDir}: restart the stack with npm start`);
  }
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@${HOST}:${port}/${DATABASE}`;
}
