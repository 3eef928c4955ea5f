import mysql from 'mysql2';
import pg from 'pg';
import { hasContentRules } from '@checkwire/check-settings';
import {
  down,
  fromNetworkError,
  up,
  withTimeout,
  type Check,
  type CheckResult,
  type CheckTarget,
} from './check.js';
import { DEFAULT_PORTS } from './default-ports.js';
import { hangUp, meteredSocket } from './metered-socket.js';
import { serverText } from './server-reply.js';
import { mysqlFirstValue } from './sql.mysql.js';
import { postgresFirstValue } from './sql.postgres.js';

// PostgreSQL and MySQL/MariaDB: log in, run the service's query (default SELECT 1) read-only and
// bounded, and judge the first column of its first row (see the README).

const DEFAULT_QUERY = 'SELECT 1';

/**
 * How long the server may run the query: the time left, less a tenth (at most 250 ms), so that
 * the server's own cancel (and its error) arrives before the check gives up and hangs up.
 */
function serverLimitMs(deadline: number): number {
  const left = deadline - Date.now();
  return Math.max(1, left - Math.min(250, Math.floor(left / 10)));
}

/**
 * How a result names the query: by what it runs for the default, neutrally for a configured one
 * (which is never quoted: it may name tables, or hold a secret).
 */
const queryName = (db: 'postgres' | 'mysql', query: string) =>
  `${db} ${query === '' ? DEFAULT_QUERY : 'query'}`;

/**
 * The value judged against `expect` (today's semantics: equal, when set); it is the content. In
 * the message it is clipped, its control characters shown, the password masked; with content
 * rules in the settings it is not quoted at all (`returned a value`): the message goes to scoring
 * with the verdict, and the value is content, which never leaves the runner (it may be a flag).
 */
function judge(value: string | null | undefined, t: CheckTarget, what: string): CheckResult {
  if (value === undefined) return down('content', `${what} returned no rows`);
  const expected = JSON.stringify(t.expect);
  if (value !== null && hasContentRules(t.settings)) {
    if (t.expect !== '' && value !== t.expect)
      return down('content', `${what} returned a value, not the expected ${expected}`);
    return up(`${what} returned a value`, value);
  }
  const shown = value === null ? 'NULL' : JSON.stringify(serverText(value, [t.password]));
  if (t.expect !== '' && value !== t.expect)
    return down('content', `${what} returned ${shown}, expected ${expected}`);
  return up(`${what} returned ${shown}`, value ?? '');
}

/** A server's refusal of the query: its code and its message, clipped, the password masked. */
const refused = (what: string, code: string, message: string, password: string) =>
  down('content', `${what} failed (${code}): ${serverText(message, [password])}`);

/**
 * Logs in to PostgreSQL (database `info`, default postgres) and runs the query (postgresFirstValue:
 * a cursor in a READ ONLY transaction under a statement_timeout). Its socket is metered (at most
 * MAX_CONVERSATION_BYTES from the server) and closed at the end.
 */
export const postgresCheck: Check = async (t, { timeoutMs }) => {
  const deadline = Date.now() + timeoutMs;
  const what = queryName('postgres', t.settings.sql.query);
  const socket = meteredSocket();
  const client = new pg.Client({
    stream: () => socket,
    host: t.host,
    port: t.port || DEFAULT_PORTS.postgres,
    user: t.username,
    password: t.password,
    database: t.info || 'postgres',
    connectionTimeoutMillis: timeoutMs,
  });
  client.on('error', () => undefined);
  let loggedIn = false;
  try {
    return await withTimeout(
      (async () => {
        await client.connect();
        loggedIn = true;
        const query = t.settings.sql.query || DEFAULT_QUERY;
        const value = await postgresFirstValue(client, query, serverLimitMs(deadline));
        return judge(value, t, what);
      })(),
      timeoutMs,
    );
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (loggedIn && err instanceof pg.DatabaseError) {
      // 57014 query_canceled: the statement_timeout set to the time limit.
      if (code === '57014') return down('timeout', `${what}: stopped at the time limit (57014)`);
      return refused(what, code ?? '?', err.message, t.password);
    }
    if (code === '28P01' || code === '28000')
      return down('credentials', `postgres login refused (${code})`);
    if (code === '3D000')
      return down('content', `postgres: database ${t.info || 'postgres'} does not exist`);
    if ((err as Error).message?.includes('timeout'))
      return down('timeout', `postgres ${t.host}: timed out`);
    return fromNetworkError(err, `postgres ${t.host}`);
  } finally {
    void client.end().catch(() => undefined);
    hangUp(socket);
  }
};

/**
 * Errors of MariaDB's max_statement_time (1969, ER_STATEMENT_TIMEOUT) and MySQL's
 * max_execution_time (3024, ER_QUERY_TIMEOUT) stopping the query; mysql2 names neither.
 */
const STATEMENT_TIMEOUTS = new Set([1969, 3024]);

/**
 * Logs in to MySQL/MariaDB (database `info`, optional) and runs the query (mysqlFirstValue: a
 * READ ONLY transaction, its statements time-limited, only the first row read). Its socket is
 * metered (at most MAX_CONVERSATION_BYTES from the server) and closed at the end.
 */
export const mysqlCheck: Check = async (t, { timeoutMs }) => {
  const deadline = Date.now() + timeoutMs;
  const what = queryName('mysql', t.settings.sql.query);
  const socket = meteredSocket().connect(t.port || DEFAULT_PORTS.mysql, t.host);
  const conn = mysql.createConnection({
    stream: socket,
    user: t.username,
    password: t.password,
    ...(t.info === '' ? {} : { database: t.info }),
    connectTimeout: timeoutMs,
  });
  // Failures reach the command that waits (the login, a query); none is left unheard.
  conn.on('error', () => undefined);
  let loggedIn = false;
  try {
    return await withTimeout(
      (async () => {
        await new Promise<void>((resolve, reject) =>
          conn.connect((err) => (err ? reject(err) : resolve())),
        );
        loggedIn = true;
        const query = t.settings.sql.query || DEFAULT_QUERY;
        const { value } = await mysqlFirstValue(conn, query, serverLimitMs(deadline));
        return judge(value, t, what);
      })(),
      timeoutMs,
    );
  } catch (err) {
    const e = err as { code?: string; errno?: number; sqlMessage?: string };
    if (e.code === 'ER_ACCESS_DENIED_ERROR') return down('credentials', 'mysql login refused');
    if (e.code === 'ER_DBACCESS_DENIED_ERROR')
      return down('credentials', `mysql: access to database ${t.info} refused`);
    if (e.code === 'ER_BAD_DB_ERROR')
      return down('content', `mysql: database ${t.info} does not exist`);
    if (loggedIn && e.sqlMessage !== undefined) {
      const code = [e.code, e.errno].filter((c) => c !== undefined).join(' ');
      if (STATEMENT_TIMEOUTS.has(e.errno ?? 0))
        return down('timeout', `${what}: stopped at the time limit (${code})`);
      return refused(what, code, e.sqlMessage, t.password);
    }
    return fromNetworkError(err, `mysql ${t.host}`);
  } finally {
    conn.end(() => undefined);
    hangUp(socket);
  }
};
