import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectDatabase,
  DATABASE_DEFAULTS,
  startEmbeddedPostgres,
  type RunningPostgres,
} from '../src/index.js';

const parent = mkdtempSync(join(tmpdir(), 'checkwire-db-pool-'));
let postgres: RunningPostgres;
beforeAll(async () => {
  postgres = await startEmbeddedPostgres({ dataDir: join(parent, 'pg'), persistent: false });
});
afterAll(async () => {
  await postgres.stop();
  rmSync(parent, { recursive: true, force: true });
});

describe('connectDatabase', () => {
  it('sets statement_timeout and idle_in_transaction_session_timeout on every session', async () => {
    const handle = connectDatabase({ connectionString: postgres.url });
    try {
      const { rows } = await sql<{ s: string; i: string }>`
        SELECT current_setting('statement_timeout') AS s,
               current_setting('idle_in_transaction_session_timeout') AS i`.execute(handle.db);
      expect(rows[0]).toEqual({
        s: `${DATABASE_DEFAULTS.statementTimeoutMs / 1000}s`,
        i: `${DATABASE_DEFAULTS.idleInTransactionTimeoutMs / 60_000}min`,
      });
    } finally {
      await handle.close();
    }
  });

  it('cancels a statement that runs past statement_timeout', async () => {
    const handle = connectDatabase({ connectionString: postgres.url, statementTimeoutMs: 50 });
    try {
      await expect(sql`SELECT pg_sleep(30)`.execute(handle.db)).rejects.toMatchObject({
        code: '57014',
      });
    } finally {
      await handle.close();
    }
  });

  it('refuses a query that waits for a connection past the acquire timeout', async () => {
    const handle = connectDatabase({
      connectionString: postgres.url,
      maxConnections: 1,
      acquireTimeoutMs: 100,
    });
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let entered!: () => void;
      const inside = new Promise<void>((r) => (entered = r));
      const holder = handle.db.transaction().execute(async () => {
        entered();
        await held;
      });
      await inside;
      await expect(sql`SELECT 1`.execute(handle.db)).rejects.toThrow(/timeout/);
      release();
      await holder;
      // The pool still works once the connection is free.
      expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(handle.db)).rows).toEqual([
        { one: 1 },
      ]);
    } finally {
      await handle.close();
    }
  });
});
