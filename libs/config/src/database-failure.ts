import { ConfigError } from './config-error.js';
import { errorCode, errorMessages } from './error-chain.js';
import { maskPostgresUrl } from './postgres-url.js';

// SQLSTATEs and errnos of a database that is there but will not have us, or cannot be reached.
const INVALID_PASSWORD = '28P01';
const INVALID_AUTHORIZATION = '28000'; // no such role, or pg_hba.conf refuses it
const INVALID_CATALOG_NAME = '3D000'; // no such database
const INSUFFICIENT_PRIVILEGE = '42501';
const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN']);
const NO_ANSWER = new Set(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const CODES = new Set([
  INVALID_PASSWORD,
  INVALID_AUTHORIZATION,
  INVALID_CATALOG_NAME,
  INSUFFICIENT_PRIVILEGE,
  'ECONNREFUSED',
  ...UNRESOLVED,
  ...NO_ANSWER,
]);
/** node-postgres's own words for a connection that did not come up in time (no code). */
const TIMED_OUT =
  /^(timeout exceeded when trying to connect|Connection terminated due to connection timeout)/;

/** A URL part as PostgreSQL reads it (percent-decoded), or as written when it does not decode. */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Why the database at `url` (the value of `variable`, already checked by envPostgresUrl) refused a
 * starting app, as a ConfigError naming the variable, or undefined when `err` is something else.
 * Classified by code, so the app needs no database driver; the URL is shown with its password
 * masked, and the driver's fields (which may quote rows) are never shown.
 */
export function databaseFailure(
  err: unknown,
  variable: string,
  url: string,
): ConfigError | undefined {
  const timedOut = errorMessages(err).some((m) => TIMED_OUT.test(m));
  const code = errorCode(err, CODES) ?? (timedOut ? 'ETIMEDOUT' : undefined);
  if (code === undefined) return undefined;
  const parsed = new URL(url);
  const shown = maskPostgresUrl(parsed.href);
  const user =
    parsed.username === ''
      ? 'the default user'
      : `user ${JSON.stringify(decoded(parsed.username))}`;
  const database = JSON.stringify(decoded(parsed.pathname.slice(1)));
  const host = parsed.hostname || (parsed.searchParams.get('host') ?? '');
  const at = `${host}:${parsed.port || '5432'}`;
  const refuse = (problem: string, fix: string) =>
    new ConfigError(variable, `${problem} (${shown})`, fix);
  if (code === INVALID_PASSWORD) {
    return refuse(
      `PostgreSQL refused the password of ${user}`,
      `put that user's password in ${variable}`,
    );
  }
  if (code === INVALID_AUTHORIZATION) {
    return refuse(
      `PostgreSQL does not let ${user} in`,
      `create that role or allow it in pg_hba.conf, or set another user in ${variable}`,
    );
  }
  if (code === INVALID_CATALOG_NAME) {
    return refuse(
      `PostgreSQL has no database ${database}`,
      `create it (CREATE DATABASE ${database}), or set an existing database in ${variable}`,
    );
  }
  if (code === INSUFFICIENT_PRIVILEGE) {
    return refuse(
      `${user} may not create Checkwire's tables in database ${database}`,
      `set the database's owner in ${variable}, or GRANT CREATE ON SCHEMA public to that user`,
    );
  }
  if (code === 'ECONNREFUSED') {
    return refuse(
      `nothing accepts connections at ${at}`,
      `start PostgreSQL there, or set ${variable} to where it runs`,
    );
  }
  if (UNRESOLVED.has(code)) {
    const problem = code === 'ENOTFOUND' ? 'is not found' : 'cannot be resolved right now';
    return refuse(`the host ${JSON.stringify(host)} ${problem}`, `fix the host in ${variable}`);
  }
  return refuse(
    `no answer from ${at}`,
    `check that PostgreSQL runs there and this machine may reach it, or fix the host and port in ${variable}`,
  );
}
