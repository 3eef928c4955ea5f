import { ConfigError, quoted } from './config-error.js';
import type { Env } from './env.js';

const EXAMPLE = 'postgres://user:password@host:5432/db';

/**
 * A connection string as it may be shown: the password (in the user part, or a `password` query
 * parameter) replaced by `***`. Works on strings that are not URLs at all, so a malformed value
 * can be quoted without its password.
 */
export function maskPostgresUrl(value: string): string {
  const start = value.includes('://') ? value.indexOf('://') + 3 : 0;
  const at = value.lastIndexOf('@');
  const colon = value.indexOf(':', start);
  const masked =
    colon !== -1 && colon < at ? `${value.slice(0, colon + 1)}***${value.slice(at)}` : value;
  return masked.replace(/([?&][^=&]*password=)[^&#]*/gi, '$1***');
}

function problemOf(value: string): string | undefined {
  const shown = quoted(maskPostgresUrl(value));
  if (!URL.canParse(value)) return `${shown} is not a postgres:// URL`;
  const url = new URL(value);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return `${shown} is not a postgres:// URL`;
  }
  if (url.hostname === '' && !url.searchParams.has('host')) return `${shown} names no host`;
  if (url.pathname.length <= 1) return `${shown} names no database`;
  return undefined;
}

/**
 * A PostgreSQL connection string: postgres:// or postgresql://, with a host (or a `host` query
 * parameter, e.g. a socket folder) and a database. Messages never show its password.
 */
export function envPostgresUrl(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ConfigError(
      name,
      'is not set',
      `set it to ${EXAMPLE}, or start the whole stack with npm start (it runs an embedded PostgreSQL)`,
    );
  }
  const problem = problemOf(value);
  if (problem !== undefined) {
    throw new ConfigError(
      name,
      problem,
      `set it to ${EXAMPLE}, or unset it to use npm start's embedded PostgreSQL`,
    );
  }
  return value;
}
