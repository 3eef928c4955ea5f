/**
 * Whether an error means a dependency (the database, in practice) cannot be reached right now,
 * so the call may well succeed if tried again: answered UNAVAILABLE, which clients retry, never
 * INTERNAL. Recognised by shape (Node's errno codes, PostgreSQL SQLSTATEs, node-postgres's own
 * messages), so this edge needs no database driver.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** SQLSTATEs of a server going away or not taking connections (classes 08 and 57P, 53300). */
const SQLSTATES = new Set([
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

const MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Connection terminated due to connection timeout$/,
  /^Cannot use a pool after calling end on the pool$/,
];

export function isUnreachableDependency(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATES.has(code))) return true;
  if (MESSAGES.some((m) => m.test(err.message))) return true;
  // Kysely and others wrap: look one level down.
  return err.cause !== undefined && err.cause !== err && isUnreachableDependency(err.cause);
}
