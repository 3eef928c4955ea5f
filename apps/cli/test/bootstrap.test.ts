import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoringApp } from '@checkwire/scoring';
import { createTestDatabase, type TestDatabase } from '@checkwire/testing';
import { runCli } from './run-cli.js';

// `bootstrap` writes straight to the database named by DATABASE_URL. Finding the PostgreSQL
// `npm start` runs from CHECKWIRE_DATA_DIR alone is tested in libs/auth/test/recover-admin-token.

/** Each CLI run starts node and tsx: seconds on a busy machine. A limit, not a measurement. */
const SLOW = 120_000;
const TOKEN_LINE = /^ {2}CHECKWIRE_TOKEN=(cw_[A-Za-z0-9_-]{43})$/m;
const HEADER = 'id    role          prefix     state    name';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

/** `whoami` with this token, against a real scoring server over the test database. */
async function whoami(token: string): Promise<string> {
  const server = await ScoringApp.start({ databaseUrl: database.url });
  try {
    return (await runCli(['whoami'], { CHECKWIRE_ADDRESS: server.address, CHECKWIRE_TOKEN: token }))
      .stdout;
  } finally {
    await server.stop();
  }
}

describe('checkwire bootstrap (DATABASE_URL)', () => {
  it(
    'mints the first admin token on a database without tokens, then refuses, saying what to do',
    async () => {
      const env = { DATABASE_URL: database.url };
      const first = await runCli(['bootstrap'], env);
      const secret = TOKEN_LINE.exec(first.stdout)?.[1];
      expect(first).toEqual({
        code: 0,
        stdout: `admin token (shown once, store it now):\n  CHECKWIRE_TOKEN=${secret}\n`,
        stderr: '',
      });
      expect(await runCli(['bootstrap'], env)).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'checkwire: tokens exist already; to mint another admin token use `bootstrap --new-admin`\n',
      });
      expect(await whoami(secret!)).toBe(
        `${HEADER}\n1     admin         ${secret!.slice(0, 8)}…  live     bootstrap admin\n`,
      );
    },
    SLOW,
  );

  it(
    'mints another admin token with --new-admin when tokens exist',
    async () => {
      const run = await runCli(['bootstrap', '--new-admin', '--name', 'ops'], {
        DATABASE_URL: database.url,
      });
      const secret = TOKEN_LINE.exec(run.stdout)?.[1];
      expect(run).toEqual({
        code: 0,
        stdout:
          `admin token (shown once, store it now):\n  CHECKWIRE_TOKEN=${secret}\n` +
          'the lost one works until revoked: find it with `tokens list`, then `tokens revoke ID`\n',
        stderr: '',
      });
      expect(await whoami(secret!)).toMatch(
        new RegExp(`^${HEADER}\\n\\d+ +admin +${secret!.slice(0, 8)}… +live +ops\\n$`),
      );
    },
    SLOW,
  );
});

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('checkwire bootstrap errors: one line, what to do, exit 1', () => {
  const refused = (stderr: string) => ({ code: 1, stdout: '', stderr: `checkwire: ${stderr}\n` });
  const newAdmin = (env: Record<string, string>) => runCli(['bootstrap', '--new-admin'], env);

  it(
    'names what is wrong with DATABASE_URL, never its password',
    async () => {
      const url = new URL(database.url);
      const where = `PostgreSQL at 127.0.0.1:${url.port}`;

      expect(await newAdmin({ DATABASE_URL: 'localhost:5432/checkwire' })).toEqual(
        refused(
          'DATABASE_URL is not a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL: fix it, or unset it to use the PostgreSQL npm start runs',
        ),
      );

      const wrong = new URL(url);
      wrong.password = 'not-the-password';
      expect(await newAdmin({ DATABASE_URL: wrong.toString() })).toEqual(
        refused(`${where} refused the password of user "postgres": fix DATABASE_URL`),
      );

      const noDatabase = new URL(url);
      noDatabase.pathname = '/no_such_database';
      expect(await newAdmin({ DATABASE_URL: noDatabase.toString() })).toEqual(
        refused(`${where} has no database "no_such_database": fix DATABASE_URL`),
      );

      const port = await closedPort();
      const unreachable = new URL(url);
      unreachable.port = String(port);
      expect(await newAdmin({ DATABASE_URL: unreachable.toString() })).toEqual(
        refused(
          `cannot reach PostgreSQL at 127.0.0.1:${port} (ECONNREFUSED): start it, or fix DATABASE_URL`,
        ),
      );
    },
    SLOW,
  );

  it(
    'says to start the stack when there is no DATABASE_URL and no embedded PostgreSQL',
    async () => {
      expect(await newAdmin({ CHECKWIRE_DATA_DIR: '/nonexistent/checkwire' })).toEqual(
        refused(
          'no embedded PostgreSQL in /nonexistent/checkwire/postgres: start the stack with npm start, or set DATABASE_URL',
        ),
      );
    },
    SLOW,
  );

  it(
    'refuses usage mistakes with exit code 2',
    async () => {
      expect(await runCli(['bootstrap', '--name', 'x'], { DATABASE_URL: database.url })).toEqual({
        code: 2,
        stdout: '',
        stderr: 'usage: --name goes with --new-admin\n',
      });
      expect(
        await runCli(['bootstrap', '--new-admin', '--name', ''], { DATABASE_URL: database.url }),
      ).toEqual({ code: 2, stdout: '', stderr: 'usage: name: must not be empty\n' });
    },
    SLOW,
  );
});
