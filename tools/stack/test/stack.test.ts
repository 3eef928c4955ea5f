import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPromiseClient, GrpcStatus } from '@checkwire/grpc';
import {
  canonicalBody,
  EXTENSION_SIGNATURE_HEADER,
  EXTENSION_PROTOCOL_VERSION,
  sign,
} from '@checkwire/lc-wire';
import {
  AdminServiceService,
  LcHandlerServiceService,
  Role,
  TokenServiceService,
} from '@checkwire/proto';
import { FREE_METRICS_PORTS, scrapeMetrics } from '@checkwire/testing';

const root = join(import.meta.dirname, '..', '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'checkwire-stack-'));
// PostgreSQL refuses to run as root, so it runs as a `postgres` user that must reach the cluster.
chmodSync(dataDir, 0o755);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `npm start`'s entry point until it prints "ready", returning its output so far. */
function startStack(env: Record<string, string> = {}, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/stack/src/main.ts', ...args], {
    cwd: root,
    env: {
      ...process.env,
      ...FREE_METRICS_PORTS,
      DATABASE_URL: '',
      CHECKWIRE_DATA_DIR: dataDir,
      SCORING_PORT: '0',
      JOBS_PORT: '0',
      LC_EXAMPLE_PORT: '0',
      LC_GATEWAY_PORT: '0',
      SCHEDULER_PORT: '0',
      CONSOLE_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, so a test can send SIGINT to all of it, as a terminal's Ctrl-C.
    detached: true,
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  // Warnings and errors (an app restarted, say) come on stderr: kept with the rest.
  createInterface({ input: child.stderr }).on('line', (line) => lines.push(line));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('Press Ctrl-C')) resolve();
    });
    void exited.then((code) => reject(new Error(`stack exited (${code}): ${lines.join('\n')}`)));
  });
  return { child, lines, ready, exited };
}

describe('npm start', () => {
  it('refuses at once, in one line, when a port it needs is taken', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as AddressInfo).port;
    const startWith = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'tools/stack/src/main.ts'], {
        cwd: root,
        env: {
          ...process.env,
          ...FREE_METRICS_PORTS,
          DATABASE_URL: '',
          CHECKWIRE_DATA_DIR: mkdtempSync(join(tmpdir(), 'checkwire-stack-ports-')),
          SCORING_PORT: '0',
          JOBS_PORT: '0',
          LC_EXAMPLE_PORT: '0',
          SCHEDULER_PORT: '0',
          CONSOLE_PORT: '0',
          LC_GATEWAY_PORT: '0',
          ...env,
        },
        encoding: 'utf8',
      });
    try {
      // A server's port, then an app's /metrics port.
      for (const variable of ['LC_GATEWAY_PORT', 'SCORING_METRICS_PORT']) {
        const run = startWith({ [variable]: String(port) });
        expect({ status: run.status, stderr: run.stderr.trim() }).toEqual({
          status: 2,
          stderr: `checkwire: could not start: ${variable}: ${port} is in use by another program; set it to a free port (0 picks one)`,
        });
        // Nothing was started: no PostgreSQL, no app.
        expect(run.stdout).toBe('');
      }
    } finally {
      busy.close();
    }
  }, 120_000);

  it('runs PostgreSQL, scoring, jobs and the LC gateway with its example, prints addresses and the bootstrap token once, keeps data across restarts, stops on Ctrl-C', async () => {
    const first = startStack();
    await first.ready;
    const address = /^\s+scoring\s+(\S+)$/m.exec(first.lines.join('\n'))?.[1];
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    // The database URL is printed with its password masked.
    expect(first.lines).toContainEqual(
      expect.stringMatching(
        /^checkwire: embedded PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/checkwire /,
      ),
    );
    expect(first.lines.join('\n')).not.toContain(':checkwire@');
    // On the empty database, the bootstrap admin token is printed once.
    const token = /CHECKWIRE_TOKEN=(\S+)/.exec(first.lines.join('\n'))?.[1];
    expect(token).toMatch(/^cw_/);
    const admin = createPromiseClient(AdminServiceService, address!, { token });
    await admin.createTeam({ name: 'kept' });
    admin.close();

    // Every app serves Prometheus metrics (on free ports here), listed after the addresses.
    const metricsUrls = new Map(
      [...first.lines.join('\n').matchAll(/^\s+([a-z-]+)\s+(http:\/\/\S+\/metrics)$/gm)].map(
        (m) => [m[1]!, m[2]!],
      ),
    );
    expect([...metricsUrls.keys()].sort()).toEqual([
      'console',
      'jobs',
      'lc-example',
      'lc-gateway',
      'runner',
      'scheduler',
      'scoring',
    ]);
    const scoringMetrics = await scrapeMetrics(metricsUrls.get('scoring')!);
    expect(
      scoringMetrics.sum('rpc_server_call_duration_count', {
        rpc_method: 'checkwire.scoring.v1.AdminService/CreateTeam',
        rpc_status_code: 'OK',
        checkwire_app: 'scoring',
      }),
    ).toBe(1);

    // Each calling app holds a token of its own, named after it; the LC gateway's is lc_gateway.
    const appTokens = async () => {
      const tokens = createPromiseClient(TokenServiceService, address!, { token });
      const live = (await tokens.listTokens({ includeRevoked: false })).tokens;
      tokens.close();
      return live
        .filter((t) => t.name.startsWith('npm start ('))
        .map((t) => ({
          name: t.name.replace(/^npm start \(\w+\): /, 'npm start: '),
          role: t.role,
          subtypes: t.subtypes,
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    };
    const expectedTokens = [
      { name: 'npm start: lc-gateway', role: Role.ROLE_LC_GATEWAY, subtypes: [] },
      { name: 'npm start: runner', role: Role.ROLE_CHECK_RUNNER, subtypes: [] },
      { name: 'npm start: scheduler', role: Role.ROLE_SCHEDULER, subtypes: [] },
    ];
    expect(await appTokens()).toEqual(expectedTokens);

    // The printed simulator command works: the gateway reaches the example handler and Jobs.
    const sim = /--url (\S+) --secret (\S+)/.exec(first.lines.join('\n'));
    expect(sim).not.toBeNull();
    const body = canonicalBody({
      data: { action: 'list_sensors', sensors: 's1' },
      etype: 'request',
      oid: 'o',
    });
    const res = await fetch(sim![1]!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'lc-svc-sig': sign(sim![2]!, body) },
      body,
    });
    const answer = (await res.json()) as { success: boolean; jobs: { sid: string[] }[] };
    expect(answer).toMatchObject({ success: true, jobs: [{ sid: ['s1'] }] });
    // The gateway got there with the handler token npm start made; a caller without it does not.
    const example = /^\s+lc-example\s+(\S+)$/m.exec(first.lines.join('\n'))?.[1];
    const handler = createPromiseClient(LcHandlerServiceService, example!);
    await expect(handler.describe({})).rejects.toMatchObject({
      code: GrpcStatus.UNAUTHENTICATED,
      details: 'missing or bad handler token',
    });
    handler.close();

    // The example extension: the printed URL, signed in lc-ext-sig; its continuation is stored by
    // the scheduler and delivered to the example handler a second later (its log line).
    const ext = /--extension --url (\S+) --secret (\S+)/.exec(first.lines.join('\n'));
    expect(ext).not.toBeNull();
    const envelope = JSON.stringify({
      version: EXTENSION_PROTOCOL_VERSION,
      idempotency_key: 'stack-test-1',
      request: {
        org: { oid: 'o', jwt: 'j', ident: '' },
        action: 'remind',
        data: { message: 'from the stack test', in_seconds: 1 },
        config: {},
      },
    });
    const remind = await fetch(ext![1]!, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [EXTENSION_SIGNATURE_HEADER]: sign(ext![2]!, envelope),
      },
      body: envelope,
    });
    expect(remind.status).toBe(200);
    expect(await remind.json()).toMatchObject({ data: { scheduled: true, in_seconds: 1 } });
    await until(
      () => first.lines.some((l) => l.includes('reminder for o (attempt 1): from the stack test')),
      'the reminder continuation to be delivered',
    );

    // The web console is up, serves its front end and signs the stack's admin in.
    const consoleUrl = /^\s+console\s+(http:\S+)\s+\(the web console/m.exec(
      first.lines.join('\n'),
    )?.[1];
    expect(consoleUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${consoleUrl}/status`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"></div>');
    const signIn = await fetch(`${consoleUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(await signIn.json()).toMatchObject({ signedIn: true, role: 'admin' });

    const beforeStop = first.lines.length;
    process.kill(-first.child.pid!, 'SIGINT'); // Ctrl-C: the whole foreground group
    expect(await first.exited).toBe(0);
    expect(first.lines).toContain('checkwire: stopped');
    // Ctrl-C reaches the apps first and PostgreSQL only after they drained: none of them lost
    // its database on the way out.
    const stopping = first.lines.slice(beforeStop).join('\n');
    expect(stopping).toMatch(/\[scoring\] scoring: SIGTERM, draining/);
    expect(stopping).not.toMatch(/database is unreachable|terminating connection|NOT_SERVING/);

    const second = startStack();
    await second.ready;
    const again = /^\s+scoring\s+(\S+)$/m.exec(second.lines.join('\n'))?.[1];
    expect(second.lines.join('\n')).not.toContain('CHECKWIRE_TOKEN=');
    const client = createPromiseClient(AdminServiceService, again!);
    const { teams } = await client.listTeams({}); // team names are public
    expect(teams.map((t) => t.name)).toEqual(['kept']);
    client.close();
    // The previous start's app tokens were revoked: one live token per app.
    const tokens = createPromiseClient(TokenServiceService, again!, { token });
    const live = (await tokens.listTokens({ includeRevoked: false })).tokens;
    tokens.close();
    expect(
      live
        .filter((t) => t.name.startsWith('npm start ('))
        .map((t) => t.name.replace(/^npm start \(\w+\): /, 'npm start: '))
        .sort(),
    ).toEqual(expectedTokens.map((t) => t.name));
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 300_000);

  it('restarts a killed app and a killed PostgreSQL, refuses a second npm start on its folder, and leaves the tokens of a stack sharing its database alone', async () => {
    const first = startStack();
    await first.ready;
    const text = () => first.lines.join('\n');
    const scoring = /^\s+scoring\s+(\S+)$/m.exec(text())?.[1];
    const stackPid = Number(readFileSync(join(dataDir, 'npm-start.pid'), 'utf8').trim());

    // One npm start per data folder: a second one says who holds it, and changes nothing.
    const second = spawnSync(process.execPath, ['--import', 'tsx', 'tools/stack/src/main.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '', CHECKWIRE_DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(second.status).toBe(1);
    expect(second.stderr.trim()).toBe(
      `checkwire: could not start: another npm start (pid ${stackPid}) is using ${dataDir}; ` +
        `stop it first (Ctrl-C in its terminal, or kill ${stackPid}), or give this one its own CHECKWIRE_DATA_DIR`,
    );

    // Every app runs compiled (node dist/server/<app>/main.js), started once its needs were ready.
    for (const app of ['scoring', 'jobs', 'console', 'lc-example', 'scheduler', 'lc-gateway']) {
      expect(childPid(stackPid, `dist/server/${app}/main.js`)).toBeGreaterThan(0);
      expect(text()).toMatch(new RegExp(`^checkwire: ${app} ready in \\d+ ms$`, 'm'));
    }
    expect(text()).toMatch(/^checkwire: 7 apps ready in \d+ ms$/m);
    // kill -9 of an app: restarted on its address, with a line saying so.
    const scoringPid = childPid(stackPid, 'dist/server/scoring/main.js');
    process.kill(scoringPid, 'SIGKILL');
    await until(() => /checkwire: scoring is back on /.test(text()), 'scoring to come back');
    expect(text()).toMatch(
      /checkwire: scoring exited unexpectedly \(signal SIGKILL\); restarting it/,
    );
    const admin = createPromiseClient(AdminServiceService, scoring!);
    await eventually(() => admin.listTeams({}), 'the admin API to answer');

    // kill -9 of PostgreSQL: started again, and the apps reconnect by themselves.
    const postmaster = Number(
      readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    process.kill(postmaster, 'SIGKILL');
    await until(
      () => /checkwire: PostgreSQL is back on port \d+/.test(text()),
      'PostgreSQL to come back',
    );
    await eventually(() => admin.listTeams({}), 'the admin API to answer');
    admin.close();

    // Another stack on the same database (its own folder): neither revokes the other's tokens.
    const port = readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3];
    const password = readFileSync(join(dataDir, 'postgres', 'checkwire.password'), 'utf8').trim();
    const otherDir = mkdtempSync(join(tmpdir(), 'checkwire-stack-other-'));
    const databaseUrl = `postgres://postgres:${password}@127.0.0.1:${port}/checkwire`;
    const other = startStack({ CHECKWIRE_DATA_DIR: otherDir, DATABASE_URL: databaseUrl });
    try {
      await other.ready;
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      const { rows } = await db.query<{ name: string }>(
        `SELECT name FROM api_token WHERE revoked_at IS NULL AND name LIKE 'npm start (%'`,
      );
      await db.end();
      const stacks = new Set(rows.map((t) => /^npm start \((\w+)\)/.exec(t.name)?.[1]));
      expect(stacks.size).toBe(2);
      expect(rows).toHaveLength(6);
    } finally {
      other.child.kill('SIGINT');
      await other.exited;
      rmSync(otherDir, { recursive: true, force: true });
    }
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
  }, 300_000);
});

describe('npm start -- --event FILE', () => {
  it('applies the competition file once the stack is up; a broken file is refused before anything starts', async () => {
    const eventDir = mkdtempSync(join(tmpdir(), 'checkwire-stack-event-'));
    chmodSync(eventDir, 0o755);
    try {
      const broken = join(eventDir, 'broken.yaml');
      writeFileSync(
        broken,
        'name: X\nteams:\n  - { name: A, services: [{ name: w, subtype: HTTP, port: 99999 }] }\n',
      );
      const refused = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'tools/stack/src/main.ts', '--event', broken],
        {
          cwd: root,
          env: { ...process.env, DATABASE_URL: '', CHECKWIRE_DATA_DIR: eventDir },
          encoding: 'utf8',
        },
      );
      expect({
        status: refused.status,
        stdout: refused.stdout,
        stderr: refused.stderr.trim(),
      }).toEqual({
        status: 2,
        stdout: '',
        stderr: `checkwire: could not start: ${broken}:3: teams[0].services[0].port: must be 0–65535 (or a {{team.…}} placeholder), got 99999`,
      });

      const stack = startStack({ CHECKWIRE_DATA_DIR: eventDir }, [
        '--event',
        'examples/event.yaml',
      ]);
      await stack.ready;
      expect(stack.lines).toContain('examples/event.yaml: applied 92 changes');
      const port = readFileSync(join(eventDir, 'postgres', 'postmaster.pid'), 'utf8').split(
        '\n',
      )[3];
      const password = readFileSync(
        join(eventDir, 'postgres', 'checkwire.password'),
        'utf8',
      ).trim();
      const db = new pg.Client({
        connectionString: `postgres://postgres:${password}@127.0.0.1:${port}/checkwire`,
      });
      await db.connect();
      const { rows } = await db.query<{
        teams: number;
        services: number;
        live_apply_tokens: number;
      }>(
        `SELECT (SELECT count(*)::int FROM team) AS teams, (SELECT count(*)::int FROM service) AS services,
                (SELECT count(*)::int FROM api_token WHERE name LIKE '%: apply' AND revoked_at IS NULL) AS live_apply_tokens`,
      );
      await db.end();
      // The admin token minted to apply it is revoked once it is applied.
      expect(rows[0]).toEqual({ teams: 10, services: 80, live_apply_tokens: 0 });
      // Ctrl-C twice: the second waits for the first stop, which stops PostgreSQL too.
      const postmaster = Number(
        readFileSync(join(eventDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      process.kill(-stack.child.pid!, 'SIGINT');
      process.kill(-stack.child.pid!, 'SIGINT');
      expect(await stack.exited).toBe(0);
      await until(() => {
        try {
          process.kill(postmaster, 0);
          return false;
        } catch {
          return true;
        }
      }, 'PostgreSQL to exit');
      expect(stack.lines.join('\n')).toContain('checkwire: stopped');
    } finally {
      rmSync(eventDir, { recursive: true, force: true });
    }
  }, 300_000);
});

/** The pid of the child of `parent` whose command line names `entry`. */
function childPid(parent: number, entry: string): number {
  for (const tid of readdirSync(`/proc/${parent}/task`)) {
    for (const pid of readFileSync(`/proc/${parent}/task/${tid}/children`, 'utf8').split(' ')) {
      if (pid === '') continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(entry)) return Number(pid);
    }
  }
  throw new Error(`no child of ${parent} runs ${entry}`);
}

/** A generous bound on a wait, so a stack that never gets there fails the test, naming it. */
const WAIT_MS = 60_000;

/** Resolves once `probe` holds; fails naming `what` if it still does not after WAIT_MS. */
async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what} after ${WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Calls `call` until it succeeds; fails with its last error, naming `what`, after WAIT_MS. */
async function eventually<T>(call: () => Promise<T>, what: string): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (Date.now() > deadline) {
        throw new Error(`still waiting for ${what} after ${WAIT_MS} ms: ${String(err)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
