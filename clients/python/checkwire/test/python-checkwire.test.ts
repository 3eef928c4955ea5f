import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import {
  AdminServiceService,
  Role,
  ServiceErrorKind,
  StatusServiceService,
  TokenServiceService,
} from '@checkwire/proto';
import {
  createTestDatabase,
  makeTlsFixtures,
  serviceDraft,
  startScoringProcess,
  type ScoringProcess,
  type TestDatabase,
} from '@checkwire/testing';

// The Python check client (clients/python/checkwire) run by Debian's python3 against the real
// scoring server (apps/scoring, its own process) on a fresh PostgreSQL. Only the environment is
// the test's: CHECKWIRE_ADDRESS and a check_runner CHECKWIRE_TOKEN, as a check author sets them.

const project = join(import.meta.dirname, '..');
const PYTHON = '/usr/bin/python3';
const fixture = (name: string) => join(project, 'test', 'fixtures', name);

let database: TestDatabase;
let scoring: ScoringProcess;
let runnerToken: string;
let teamIds: number[];
const servers: Server[] = [];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a Python script with the package on its path; never throws on a non-zero exit. */
async function python(args: string[], env: Record<string, string> = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(PYTHON, args, {
      cwd: project,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        PYTHONPATH: join(project, 'src'),
        PYTHONDONTWRITEBYTECODE: '1',
        CHECKWIRE_ADDRESS: scoring.address,
        CHECKWIRE_TOKEN: runnerToken,
        ...env,
      },
      encoding: 'utf8',
      // Only stops a hung script from outliving the run; nothing is timed.
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A TCP server on 127.0.0.1 that sends `banner` to each connection (nothing when undefined). */
async function tcpServer(banner?: string): Promise<number> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    if (banner !== undefined) socket.write(banner);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A port on 127.0.0.1 nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function newService(teamId: number): Promise<number> {
  const admin = createPromiseClient(AdminServiceService, scoring.address, {
    token: scoring.adminToken,
  });
  try {
    return (await admin.createService({ service: serviceDraft(teamId) })).service!.id;
  } finally {
    admin.close();
  }
}

function statusClient() {
  return createPromiseClient(StatusServiceService, scoring.address, { token: scoring.adminToken });
}

beforeAll(async () => {
  database = await createTestDatabase();
  scoring = await startScoringProcess(database.url);
  const options = { token: scoring.adminToken };
  const admin = createPromiseClient(AdminServiceService, scoring.address, options);
  const tokens = createPromiseClient(TokenServiceService, scoring.address, options);
  try {
    teamIds = [];
    for (const name of ['blue-1', 'blue-2', 'blue-3']) {
      teamIds.push((await admin.createTeam({ name })).team!.id);
    }
    const role = Role.ROLE_CHECK_RUNNER;
    runnerToken = (await tokens.createToken({ name: 'python-check', role })).secret;
  } finally {
    admin.close();
    tokens.close();
  }
});
afterAll(async () => {
  for (const server of servers) server.close();
  await scoring?.stop();
  await database?.drop();
});

describe('the Python package, unit by unit', () => {
  it('is versioned with the repository (package.json, pyproject.toml, checkwire.__version__)', async () => {
    const root = join(project, '..', '..', '..');
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    const pyproject = readFileSync(join(project, 'pyproject.toml'), 'utf8');
    expect(/^version = "([^"]+)"$/m.exec(pyproject)?.[1]).toBe(version);
    const run = await python(['-c', 'import checkwire; print(checkwire.__version__)']);
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('passes its unittest suite (exception mapping, config, retries: pure functions)', async () => {
    const run = await python(['-m', 'unittest', 'discover', '-s', 'test/unit', '-t', 'test/unit']);
    expect(run.stderr).toMatch(/^Ran \d+ tests in .*\n\nOK\n$/m);
    expect(run.code).toBe(0);
  });
});

describe('an IScorE external check, as the seed writes it (only the import changed)', () => {
  it('scores a good service, and records each failure with its kind, message and traceback', async () => {
    const up = await tcpServer('OK checkwire\n');
    const silent = await tcpServer();
    const wrong = await tcpServer('220 hello\n');
    const closed = await closedPort();
    const cases = [
      { port: up, result: 100, kind: undefined, message: undefined },
      {
        port: closed,
        result: 0,
        kind: ServiceErrorKind.SERVICE_ERROR_KIND_CONNECTION,
        message: '[Errno 111] Connection refused',
      },
      {
        port: silent,
        result: 0,
        kind: ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT,
        message: 'timed out',
      },
      {
        port: wrong,
        result: 0,
        kind: ServiceErrorKind.SERVICE_ERROR_KIND_OTHER,
        message: "expected 'OK checkwire', got '220 hello'",
      },
    ];
    const status = statusClient();
    const admin = createPromiseClient(AdminServiceService, scoring.address, {
      token: scoring.adminToken,
    });
    try {
      for (const c of cases) {
        const serviceId = await newService(teamIds[0]!);
        const args = [String(serviceId), '127.0.0.1', String(c.port), 'OK checkwire'];
        const run = await python([fixture('iscore_check.py'), ...args]);
        expect(run).toMatchObject({ code: 0, stderr: '' });
        // The saved Score the check got back, as a dataclass.
        const printed = JSON.parse(run.stdout) as Record<string, unknown>;
        const { scores } = await status.listScores({ serviceId });
        expect(scores).toHaveLength(1);
        const score = scores[0]!;
        expect(printed).toMatchObject({
          id: score.id,
          service_id: serviceId,
          result: c.result,
          submitted_result: c.result,
          capped: false,
          error_msg: c.message ?? null,
          check_run_id: score.checkRunId,
          request_id: score.requestId,
        });
        expect(score.requestId).toMatch(/^[0-9a-f-]{36}$/);
        expect(score.checkRunId).toBeGreaterThan(0);
        const { serviceErrors } = await status.listServiceErrors({ serviceId });
        if (c.kind === undefined) {
          expect(serviceErrors).toEqual([]);
        } else {
          expect(serviceErrors).toEqual([
            expect.objectContaining({ scoreId: score.id, kind: c.kind, message: c.message }),
          ]);
          expect(serviceErrors[0]!.detail).toMatch(/^Traceback \(most recent call last\):\n/);
        }
        // insert_service_score_done closed the run: no spinner.
        const { service } = await admin.getService({ id: serviceId });
        expect(service).toMatchObject({ inProgress: false, lastScan: c.result });
      }
    } finally {
      status.close();
      admin.close();
    }
  });
});

describe('examples/mass_check.py (the cimorescan pattern)', () => {
  it('scores every team at once, in one call, and records the failures', async () => {
    const up = await tcpServer();
    const closed = await closedPort();
    const ids = [];
    for (const teamId of teamIds) ids.push(await newService(teamId));
    const ports = [up, closed, up];
    const args = ids.map((id, i) => `${id}=127.0.0.1:${ports[i]}`);
    const run = await python([join(project, 'examples', 'mass_check.py'), ...args]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      [
        `service ${ids[0]}: 100`,
        `service ${ids[1]}: 0 ([Errno 111] Connection refused)`,
        `service ${ids[2]}: 100`,
        '',
      ].join('\n'),
    );
    const status = statusClient();
    try {
      const scores = [];
      for (const serviceId of ids) {
        const { scores: s } = await status.listScores({ serviceId });
        expect(s).toHaveLength(1);
        scores.push(s[0]!);
      }
      expect(scores.map((s) => s.result)).toEqual([100, 0, 100]);
      // One InsertServiceScores call is one transaction: the three rows share its timestamp.
      expect(new Set(scores.map((s) => s.createdAt?.getTime())).size).toBe(1);
      const { serviceErrors } = await status.listServiceErrors({ serviceId: ids[1]! });
      expect(serviceErrors).toEqual([
        expect.objectContaining({
          scoreId: scores[1]!.id,
          kind: ServiceErrorKind.SERVICE_ERROR_KIND_CONNECTION,
        }),
      ]);
    } finally {
      status.close();
    }
  });
});

describe('mistakes and outages: one clear Python exception each', () => {
  /** The last line of a traceback, checking it is the only exception printed. */
  function oneException(run: Run): string {
    expect(run.code).toBe(1);
    expect(run.stderr.match(/Traceback \(most recent call last\)/g)).toHaveLength(1);
    expect(run.stderr).not.toMatch(/During handling|direct cause/);
    return run.stderr.trimEnd().split('\n').at(-1)!;
  }

  it('a bad address is a ConfigError naming CHECKWIRE_ADDRESS; nothing is sent', async () => {
    const run = await python([fixture('one_call.py'), '1'], { CHECKWIRE_ADDRESS: '127.0.0.1' });
    expect(oneException(run)).toBe(
      'checkwire.errors.ConfigError: CHECKWIRE_ADDRESS: "127.0.0.1" is not host:port; set it ' +
        "to the scoring server's address, e.g. 127.0.0.1:50051",
    );
  });

  it('a bad token (revoked, or not a token at all) is an AuthError with the server message', async () => {
    const serviceId = await newService(teamIds[0]!);
    const tokens = createPromiseClient(TokenServiceService, scoring.address, {
      token: scoring.adminToken,
    });
    let revoked: string;
    try {
      const { token, secret } = await tokens.createToken({
        name: 'revoked-check',
        role: Role.ROLE_CHECK_RUNNER,
      });
      await tokens.revokeToken({ id: token!.id });
      revoked = secret;
    } finally {
      tokens.close();
    }
    const cases = [
      [revoked, 'unknown or revoked token'],
      ['hunter2', 'the bearer token is not a Checkwire token (cw_…)'],
    ] as const;
    for (const [token, message] of cases) {
      const run = await python([fixture('one_call.py'), String(serviceId)], {
        CHECKWIRE_TOKEN: token,
      });
      expect(oneException(run)).toBe(
        `checkwire.errors.AuthError: UNAUTHENTICATED: ${message} (check CHECKWIRE_TOKEN)`,
      );
    }
  });

  it('a server that is down is ServerUnavailable naming the address, after the retries', async () => {
    const address = `127.0.0.1:${await closedPort()}`;
    const run = await python([fixture('one_call.py'), '1'], { CHECKWIRE_ADDRESS: address });
    const last = oneException(run);
    expect(last.startsWith('checkwire.errors.ServerUnavailable: UNAVAILABLE: ')).toBe(true);
    expect(last).toContain(`no Checkwire server answered at ${address} (`);
  });

  it('an unknown service is NotFound with the server message', async () => {
    const run = await python([fixture('one_call.py'), '999999']);
    expect(oneException(run)).toMatch(/^checkwire\.errors\.NotFound: NOT_FOUND: .*999999/);
  });
});

describe('retries are safe', () => {
  it('the same request_id twice is the same score (the dedupe a retry relies on); checking() marks done when its body raises', async () => {
    const serviceId = await newService(teamIds[1]!);
    const run = await python([fixture('request_id.py'), String(serviceId)]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const seen = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(seen).toMatchObject({
      first: seen.again,
      request_id: 'retry-1',
      raised: 'the check blew up',
      after_done: null,
    });
    const status = statusClient();
    try {
      const { scores } = await status.listScores({ serviceId });
      expect(scores.map((s) => [s.id, s.requestId])).toEqual([[seen.first, 'retry-1']]);
    } finally {
      status.close();
    }
  });
});

describe('over mutual TLS (CHECKWIRE_TLS_CA_FILE, _CERT_FILE, _KEY_FILE, as the TypeScript clients read them)', () => {
  it('calls with the CA and a client certificate; without the certificate it is ServerUnavailable', async () => {
    const tls = makeTlsFixtures();
    const secureDb = await createTestDatabase();
    const pem = (name: string) => join(tls.dir, name);
    const saved = { ...process.env };
    Object.assign(process.env, {
      SCORING_TLS_CERT_FILE: pem('server.pem'),
      SCORING_TLS_KEY_FILE: pem('server.key'),
      SCORING_TLS_CLIENT_CA_FILE: pem('ca.pem'),
    });
    let secure: ScoringProcess | undefined;
    try {
      secure = await startScoringProcess(secureDb.url);
    } finally {
      for (const name of Object.keys(process.env)) {
        if (!(name in saved)) delete process.env[name];
      }
    }
    try {
      const admin = createPromiseClient(AdminServiceService, secure.address, {
        token: secure.adminToken,
        tls: { ca: tls.ca, cert: tls.clientCert, key: tls.clientKey },
      });
      let serviceId: number;
      try {
        const { team } = await admin.createTeam({ name: 'blue-tls' });
        serviceId = (await admin.createService({ service: serviceDraft(team!.id) })).service!.id;
      } finally {
        admin.close();
      }
      const env = {
        CHECKWIRE_ADDRESS: secure.address,
        CHECKWIRE_TOKEN: secure.adminToken,
        CHECKWIRE_TLS_CA_FILE: pem('ca.pem'),
      };
      const withCert = await python([fixture('one_call.py'), String(serviceId)], {
        ...env,
        CHECKWIRE_TLS_CERT_FILE: pem('client.pem'),
        CHECKWIRE_TLS_KEY_FILE: pem('client.key'),
      });
      expect(withCert).toMatchObject({ code: 0, stdout: 'ok\n', stderr: '' });
      const withoutCert = await python([fixture('one_call.py'), String(serviceId)], env);
      expect(withoutCert.code).toBe(1);
      expect(withoutCert.stderr.trimEnd().split('\n').at(-1)).toMatch(
        /^checkwire\.errors\.ServerUnavailable: UNAVAILABLE: no Checkwire server answered at /,
      );
    } finally {
      await secure.stop();
      await secureDb.drop();
      tls.remove();
    }
  });
});
