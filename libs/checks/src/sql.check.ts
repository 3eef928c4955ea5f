import mysql from 'mysql2/promise';
import pg from 'pg';
import { down, fromNetworkError, up, withTimeout, type Check, type CheckResult } from './check.js';
import { hangUp, meteredSocket } from './metered-socket.js';
import { DEFAULT_PORTS } from './default-ports.js';

/** The first column of the first row, as text. */
function firstValue(rows: unknown[]): string {
  const row = rows[0] as Record<string, unknown> | unknown[] | undefined;
  if (row === undefined) return '';
  const value = Array.isArray(row) ? row[0] : Object.values(row)[0];
  return String(value);
}

function compare(result: string, expect: string, what: string): CheckResult {
  if (expect !== '' && result !== expect) {
    return down(
      'content',
      `${what} returned ${JSON.stringify(result)}, expected ${JSON.stringify(expect)}`,
    );
  }
  return up(`${what} returned ${JSON.stringify(result)}`);
}

/**
 * Logs in to PostgreSQL (database `info`, default postgres) and runs SELECT 1 (or expects
 * `expect`). Its socket is metered (at most MAX_CONVERSATION_BYTES from the server) and closed at
 * the end.
 */
export const postgresCheck: Check = async (t, { timeoutMs }) => {
  const socket = meteredSocket();
  const client = new pg.Client({
    stream: () => socket,
    host: t.host,
    port: t.port || DEFAULT_PORTS.postgres,
    user: t.username,
    password: t.password,
    database: t.info || 'postgres',
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  client.on('error', () => undefined);
  try {
    await withTimeout(client.connect(), timeoutMs);
    const { rows } = await withTimeout(client.query('SELECT 1 AS ok'), timeoutMs);
    return compare(firstValue(rows), t.expect, 'postgres SELECT 1');
  } catch (err) {
    const code = (err as { code?: string }).code;
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
 * Logs in to MySQL/MariaDB (database `info`, optional) and runs SELECT 1. Its socket is metered
 * (at most MAX_CONVERSATION_BYTES from the server) and closed at the end.
 */
export const mysqlCheck: Check = async (t, { timeoutMs }) => {
  const socket = meteredSocket().connect(t.port || DEFAULT_PORTS.mysql, t.host);
  let conn: mysql.Connection | undefined;
  try {
    conn = await withTimeout(
      mysql.createConnection({
        stream: socket,
        user: t.username,
        password: t.password,
        ...(t.info === '' ? {} : { database: t.info }),
        connectTimeout: timeoutMs,
      }),
      timeoutMs,
    );
    const [rows] = await withTimeout(conn.query('SELECT 1 AS ok'), timeoutMs);
    return compare(firstValue(rows as unknown[]), t.expect, 'mysql SELECT 1');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ER_ACCESS_DENIED_ERROR') return down('credentials', 'mysql login refused');
    return fromNetworkError(err, `mysql ${t.host}`);
  } finally {
    void conn?.end().catch(() => undefined);
    hangUp(socket);
  }
};
