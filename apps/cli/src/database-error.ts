import { CliError, firstLine } from './cli-errors.js';
import type { DatabaseTarget } from './database-target.js';

// PostgreSQL's SQLSTATEs and Node's socket errors a command may meet reaching the database.
const WRONG_PASSWORD = '28P01';
const NO_DATABASE = '3D000';
const NO_TABLE = '42P01';
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT']);

const codeOf = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;

/**
 * What went wrong reaching the database, as one line with what to do. Names the host, port, user
 * and database of the URL, never its password.
 */
export function databaseError(err: unknown, target: DatabaseTarget): CliError {
  const url = new URL(target.url);
  const where = `PostgreSQL at ${url.hostname || 'localhost'}:${url.port || '5432'}`;
  const user = decodeURIComponent(url.username);
  const database = decodeURIComponent(url.pathname.slice(1)) || user;
  const code = codeOf(err);
  if (code === WRONG_PASSWORD) {
    return new CliError(`${where} refused the password of user "${user}": ${target.fix}`);
  }
  if (code === NO_DATABASE) {
    return new CliError(`${where} has no database "${database}": ${target.fix}`);
  }
  if (code === NO_TABLE) {
    return new CliError(
      `${where}, database "${database}", has no Checkwire tables: start Checkwire on it once (it migrates), or ${target.fix}`,
    );
  }
  if ((code !== undefined && UNREACHABLE.has(code)) || /timeout/i.test(firstLine(err))) {
    return new CliError(`cannot reach ${where} (${code ?? 'timed out'}): ${target.fixUnreachable}`);
  }
  return new CliError(`${where}: ${firstLine(err)}: ${target.fix}`);
}
