import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/index.js';
import { PASSWORD_FILE } from '../src/embedded-postgres.js';

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

  it('gives each data directory a random password of its own, in a file only its owner reads', async () => {
    const dirs = [join(parent, 'p1'), join(parent, 'p2')];
    const passwords: string[] = [];
    for (const dataDir of dirs) {
      const cluster = await startEmbeddedPostgres({ dataDir });
      const file = join(dataDir, PASSWORD_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = readFileSync(file, 'utf8').trim();
      expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(decodeURIComponent(new URL(cluster.url).password)).toBe(password);
      passwords.push(password);
      // The constant every cluster once had is refused.
      const legacy = new URL(cluster.url);
      legacy.password = 'checkwire';
      await expect(selectOne(legacy.toString())).rejects.toThrow(/password authentication failed/);
      await cluster.stop();
    }
    expect(passwords[0]).not.toBe(passwords[1]);

    // A cluster from before (no password file, the old constant) is moved to a new password.
    const legacyDir = dirs[0]!;
    const before = await startEmbeddedPostgres({ dataDir: legacyDir });
    const client = new pg.Client({ connectionString: before.url });
    await client.connect();
    await client.query("ALTER USER postgres PASSWORD 'checkwire'");
    await client.end();
    await before.stop();
    unlinkSync(join(legacyDir, PASSWORD_FILE));
    const after = await startEmbeddedPostgres({ dataDir: legacyDir });
    const moved = readFileSync(join(legacyDir, PASSWORD_FILE), 'utf8').trim();
    expect(moved).not.toBe(passwords[0]);
    expect(await selectOne(after.url)).toBe(1);
    const old = new URL(after.url);
    old.password = 'checkwire';
    await expect(selectOne(old.toString())).rejects.toThrow(/password authentication failed/);
    await after.stop();
  });
});
