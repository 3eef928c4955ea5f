import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.types.js';
import { createLogger } from '@checkwire/log';
import { observePool } from './pool-metrics.js';

const LOG = createLogger('postgres pool');

const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;

/**
 * bigint columns come back as JS numbers: ids and versions stay far below 2^53, and the
 * generated protobuf code uses numbers for int64 (ts-proto forceLong=number).
 */
const parseInt8 = (value: string): number => Number(value);
// pg's TypeId enum lists scalar types only; its parser table knows the array types too.
const arrayParser = pg.types.getTypeParser(
  INT8_ARRAY_OID as Parameters<typeof pg.types.getTypeParser>[0],
) as (value: string) => unknown;
const parseInt8Array = (value: string): (number | null)[] =>
  (arrayParser(value) as (string | null)[]).map((v) => (v === null ? null : Number(v)));
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): unknown => {
    if (oid === INT8_OID) return parseInt8;
    if (oid === INT8_ARRAY_OID) return parseInt8Array;
    return pg.types.getTypeParser(oid, format);
  },
};

export interface DatabaseOptions {
  connectionString: string;
  /** Pool size. @default DATABASE_DEFAULTS.maxConnections */
  maxConnections?: number;
  /** Name shown in pg_stat_activity. @default 'checkwire' */
  applicationName?: string;
  /**
   * false sets synchronous_commit=off on these sessions: a commit returns before its WAL is on
   * disk, so a database crash can lose the last fraction of a second of writes (never corrupt
   * them). Faster on slow disks. @default true
   */
  synchronousCommit?: boolean;
  /**
   * Longest a query waits for a pooled connection (or for a new one to connect) before it fails,
   * so a saturated or unreachable database refuses work instead of queueing it forever.
   * @default DATABASE_DEFAULTS.acquireTimeoutMs
   */
  acquireTimeoutMs?: number;
  /** PostgreSQL's statement_timeout for these sessions. @default DATABASE_DEFAULTS.statementTimeoutMs */
  statementTimeoutMs?: number;
  /**
   * PostgreSQL's idle_in_transaction_session_timeout: a transaction left open (its client hung)
   * cannot hold row locks for longer. @default DATABASE_DEFAULTS.idleInTransactionTimeoutMs
   */
  idleInTransactionTimeoutMs?: number;
}

/** Pool defaults, in one place (apps' config and `.env.example` refer to these). */
export const DATABASE_DEFAULTS = Object.freeze({
  maxConnections: 10,
  acquireTimeoutMs: 10_000,
  statementTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 60_000,
});

export interface DatabaseHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
  /** Closes every pooled connection. */
  close(): Promise<void>;
}

export function connectDatabase(options: DatabaseOptions): DatabaseHandle {
  const max = options.maxConnections ?? DATABASE_DEFAULTS.maxConnections;
  const applicationName = options.applicationName ?? 'checkwire';
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max,
    application_name: applicationName,
    connectionTimeoutMillis: options.acquireTimeoutMs ?? DATABASE_DEFAULTS.acquireTimeoutMs,
    statement_timeout: options.statementTimeoutMs ?? DATABASE_DEFAULTS.statementTimeoutMs,
    idle_in_transaction_session_timeout:
      options.idleInTransactionTimeoutMs ?? DATABASE_DEFAULTS.idleInTransactionTimeoutMs,
    ...(options.synchronousCommit === false ? { options: '-c synchronous_commit=off' } : {}),
    types,
  });
  // An idle client that dies (server restart) must not crash the process; the pool replaces it.
  pool.on('error', (err) => LOG.failure('an idle pooled connection failed', err));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // Its connections in use, idle and waited for, at each scrape of the app's /metrics.
  const unobserve = observePool(pool, applicationName, max);
  return {
    db,
    pool,
    close: () => {
      unobserve();
      return db.destroy();
    },
  };
}
