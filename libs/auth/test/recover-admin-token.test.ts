import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectDatabase,
  migrateToLatest,
  startEmbeddedPostgres,
  type RunningPostgres,
} from '@checkwire/db';
import { Authenticator, TokenAdministration } from '../src/index.js';

// `npm run cli -- bootstrap --new-admin` finding the PostgreSQL `npm start` runs from its data
// folder alone. Here rather than in apps/cli/test: an app may not import libs/db, and this needs a
// cluster of its own laid out as npm start lays it out (CHECKWIRE_DATA_DIR/postgres).

/** Each CLI run starts node and tsx: seconds on a busy machine. A limit, not a measurement. */
const SLOW = 120_000;
const root = join(import.meta.dirname, '..', '..', '..');
const dataFolder = mkdtempSync(join(tmpdir(), 'checkwire-recover-'));
const clusterDir = join(dataFolder, 'postgres');
let cluster: RunningPostgres;
let running = false;

/** The real CLI as its own process, with only CHECKWIRE_DATA_DIR to find the database. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, CHECKWIRE_DATA_DIR: dataFolder, DATABASE_URL: '' };
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'apps/cli/src/main.ts', ...args],
      { cwd: root, env },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The role a token gives, as the servers see it, and the name of its token row. */
async function holderOf(secret: string): Promise<{ role: string; name: string }> {
  const handle = connectDatabase({ connectionString: cluster.url, maxConnections: 1 });
  try {
    const principal = await new Authenticator(handle.db).authenticate(`Bearer ${secret}`);
    if (principal.role === 'public') return { role: 'public', name: '' };
    const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
    return { role: principal.role, name: (await tokens.get(principal.tokenId)).name };
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  cluster = await startEmbeddedPostgres({ dataDir: clusterDir, unsafeFast: true });
  running = true;
  // What npm start leaves behind: a migrated database with its admin and its apps' tokens.
  const handle = connectDatabase({ connectionString: cluster.url, maxConnections: 1 });
  try {
    await migrateToLatest(handle.db);
    const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
    await tokens.bootstrap();
    await tokens.create({ name: 'npm start: runner', role: 'check_runner' });
  } finally {
    await handle.close();
  }
});
afterAll(async () => {
  if (running) await cluster.stop();
  rmSync(dataFolder, { recursive: true, force: true });
});

describe('bootstrap --new-admin with the stack running', () => {
  it(
    'mints another admin token when tokens exist, from the data folder alone',
    async () => {
      expect(await cli('bootstrap')).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'checkwire: tokens exist already; to mint another admin token use `bootstrap --new-admin`\n',
      });

      const minted = await cli('bootstrap', '--new-admin', '--name', 'ops laptop');
      const secret = /^ {2}CHECKWIRE_TOKEN=(cw_[A-Za-z0-9_-]{43})$/m.exec(minted.stdout)?.[1];
      expect(minted).toEqual({
        code: 0,
        stdout:
          `admin token (shown once, store it now):\n  CHECKWIRE_TOKEN=${secret}\n` +
          'the lost one works until revoked: find it with `tokens list`, then `tokens revoke ID`\n',
        stderr: '',
      });
      expect(await holderOf(secret!)).toEqual({ role: 'admin', name: 'ops laptop' });

      const unnamed = await cli('bootstrap', '--new-admin');
      const other = /CHECKWIRE_TOKEN=(\S+)/.exec(unnamed.stdout)?.[1];
      expect(other).not.toBe(secret);
      expect(await holderOf(other!)).toEqual({ role: 'admin', name: 'recovered admin' });
    },
    SLOW,
  );
});

describe('bootstrap --new-admin with the stack stopped', () => {
  it(
    'says to start it, in one line',
    async () => {
      const port = cluster.port;
      await cluster.stop();
      running = false;
      const notRunning = {
        code: 1,
        stdout: '',
        stderr: `checkwire: the embedded PostgreSQL in ${clusterDir} is not running: start the stack with npm start, or set DATABASE_URL\n`,
      };
      expect(await cli('bootstrap', '--new-admin')).toEqual(notRunning);

      // Killed, not stopped: postmaster.pid stays behind, naming a process that is gone.
      const gone = spawn(process.execPath, ['-e', '']);
      await once(gone, 'exit');
      writeFileSync(join(clusterDir, 'postmaster.pid'), `${gone.pid}\n${clusterDir}\n0\n${port}\n`);
      expect(await cli('bootstrap', '--new-admin')).toEqual(notRunning);
    },
    SLOW,
  );
});
