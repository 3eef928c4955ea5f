import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.types.js';

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
  /** Pool size. @default 10 */
  maxConnections?: number;
  /** Name shown in pg_stat_activity. @default 'checkwire' */
  applicationName?: string;
  /**
   * false sets synchronous_commit=off on these sessions: a commit returns before its WAL is on
   * disk, so a database crash can lose the last fraction of a second of writes (never corrupt
   * them). Faster on slow disks. @default true
   */
  synchronousCommit?: boolean;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
  /** Closes every pooled connection. */
  close(): Promise<void>;
}

export function connectDatabase(options: DatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'checkwire',
    ...(options.synchronousCommit === false ? { options: '-c synchronous_commit=off' } : {}),
    types,
  });
  // An idle client that dies (server restart) must not crash the process; the pool replaces it.
  pool.on('error', (err) => console.error(`postgres pool: idle client error: ${err.message}`));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool, close: () => db.destroy() };
}
