import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoringApp } from '@checkwire/scoring';
import { createTestDatabase, makeTlsFixtures, type TestDatabase } from '@checkwire/testing';

const root = join(import.meta.dirname, '..', '..', '..');
let database: TestDatabase;
let app: ScoringApp;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await ScoringApp.start({ databaseUrl: database.url, bootstrapAdminToken: true });
});
afterAll(async () => {
  await app.stop();
  await database.drop();
});

/** Runs the real CLI (a separate process) and returns its exit code and output. */
async function cli(args: string[], token?: string, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'apps/cli/src/main.ts', ...args],
      {
        cwd: root,
        env: {
          ...process.env,
          CHECKWIRE_ADDRESS: app.address,
          CHECKWIRE_TOKEN: token ?? '',
          ...env,
        },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('checkwire tokens', () => {
  it('creates, lists and revokes tokens with the admin token', async () => {
    const admin = app.bootstrapToken!.secret;
    const created = await cli(
      ['tokens', 'create', '--name', 'runner-eu', '--role', 'check_runner', '--subtype', 'dns'],
      admin,
    );
    expect(created.code).toBe(0);
    const secret = /secret \(shown once, store it now\): (cw_\S+)/.exec(created.stdout)?.[1];
    expect(secret).toBeDefined();
    const id = /^(\d+)\s+check_runner/m.exec(created.stdout)?.[1];

    expect((await cli(['whoami'], secret)).stdout).toMatch(
      new RegExp(`^${id}\\s+check_runner .*runner-eu \\(subtypes dns\\)$`, 'm'),
    );
    const listed = await cli(['tokens', 'list'], admin);
    expect(listed.stdout).toContain('runner-eu');
    expect(listed.stdout).not.toContain(secret!.slice(8));

    expect((await cli(['tokens', 'revoke', id!], admin)).stdout).toMatch(/revoked\s+runner-eu/);
    expect(await cli(['whoami'], secret)).toMatchObject({
      code: 1,
      stderr: 'checkwire: UNAUTHENTICATED: unknown or revoked token\n',
    });
  });

  it('explains refusals and usage mistakes', async () => {
    expect(await cli(['tokens', 'list'])).toMatchObject({
      code: 1,
      stderr:
        "checkwire: UNAUTHENTICATED: call TokenService.ListTokens needs admin: send metadata 'authorization: Bearer <token>'\n",
    });
    expect(
      await cli(['tokens', 'create', '--name', 'x', '--role', 'root'], app.bootstrapToken!.secret),
    ).toMatchObject({
      code: 2,
      stderr: 'usage: --role must be one of admin, check_runner, blue, red, green, lc_gateway\n',
    });
    expect((await cli(['whoami'])).stdout).toBe('public\n');
  });
});

describe('over TLS', () => {
  it('speaks TLS when CHECKWIRE_TLS_CA_FILE names the CA, and fails plainly without it', async () => {
    const tls = makeTlsFixtures();
    const secure = await ScoringApp.start({
      databaseUrl: database.url,
      tls: { cert: tls.serverCert, key: tls.serverKey },
    });
    try {
      const ca = join(tls.dir, 'ca.pem');
      expect(
        (
          await cli(['whoami'], undefined, {
            CHECKWIRE_ADDRESS: secure.address,
            CHECKWIRE_TLS_CA_FILE: ca,
          })
        ).stdout,
      ).toBe('public\n');
      expect(
        (await cli(['whoami'], undefined, { CHECKWIRE_ADDRESS: secure.address })).stderr,
      ).toMatch(/^checkwire: UNAVAILABLE: /);
    } finally {
      await secure.stop();
      tls.remove();
    }
  });
});

describe('checkwire bootstrap', () => {
  it('mints the first admin token straight in an empty database, once, printing it only here', async () => {
    const empty = await createTestDatabase();
    try {
      const env = { DATABASE_URL: empty.url };
      const first = await cli(['bootstrap'], undefined, env);
      expect(first).toMatchObject({ code: 0, stderr: '' });
      const secret = /^ {2}CHECKWIRE_TOKEN=(cw_[A-Za-z0-9_-]{43})$/m.exec(first.stdout)?.[1];
      expect(first.stdout).toBe(
        `admin token (shown once, store it now):\n  CHECKWIRE_TOKEN=${secret}\n`,
      );
      expect(await cli(['bootstrap'], undefined, env)).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'checkwire: tokens exist already, so no admin token was minted; mint more with an admin token\n',
      });
      // The printed token is an admin token of that database.
      const server = await ScoringApp.start({ databaseUrl: empty.url });
      try {
        const who = await cli(['whoami'], secret, { CHECKWIRE_ADDRESS: server.address });
        expect(who.stdout).toMatch(/^1 +admin +cw_\S+… +live +bootstrap admin\n$/);
      } finally {
        await server.stop();
      }
    } finally {
      await empty.drop();
    }
  });
});
