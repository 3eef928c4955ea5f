import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@checkwire/testing';
import { runApp, type AppExit } from './run-app.js';

// Every app checks its whole config before it starts anything, and a start the operator must fix
// (a bad variable, a database that refuses, a port in use) ends with exactly one line on stderr,
// `<app>: <VARIABLE>: <problem>; <fix>`, and exit code 2. Each case is the real app as its own
// process; cases run a few at a time (each costs a tsx start-up).

const SECRET = 'hunter2-never-shown';
const DB_FIX =
  "set it to postgres://user:password@host:5432/db, or unset it to use npm start's embedded PostgreSQL";
const ROUTES_FIX = 'set it to a JSON list of {"name", "secret", "handler": "host:port", "token"?}';
const ROUTE = { name: 'example', secret: SECRET, handler: '127.0.0.1:50061' };

/** A refused start: this one line on stderr and nothing else, exit code 2. */
const refused = (line: string): AppExit => ({ code: 2, stderr: `${line}\n` });

const listening = async (): Promise<Server> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};
const portOf = (server: Server): number => (server.address() as AddressInfo).port;
const close = (server: Server) => new Promise((resolve) => server.close(resolve));

let database: TestDatabase;
let blocker: Server;

beforeAll(async () => {
  database = await createTestDatabase();
  blocker = await listening();
});
afterAll(async () => {
  await close(blocker);
  await database.drop();
});

/** The test database's URL with one part changed, and how the apps show it (password masked). */
function variant(change: (url: URL) => void): { url: string; shown: string } {
  const url = new URL(database.url);
  change(url);
  return { url: url.href, shown: `postgres://${url.username}:***@${url.host}${url.pathname}` };
}

// Generous limit, not a timing assertion: a few tsx start-ups at once on two shared cores.
describe(
  'a start the operator must fix is one line on stderr and exit code 2',
  { timeout: 120_000 },
  () => {
    it('DATABASE_URL that is not a postgres:// URL with a host and a database', async () => {
      expect(
        await Promise.all([
          runApp('scoring', { DATABASE_URL: 'notaurl' }),
          runApp('jobs', { DATABASE_URL: `mysql://checkwire:${SECRET}@db/checkwire` }),
          runApp('scheduler', { DATABASE_URL: `postgres://checkwire:${SECRET}@db` }),
        ]),
      ).toEqual([
        refused(`scoring: DATABASE_URL: "notaurl" is not a postgres:// URL; ${DB_FIX}`),
        refused(
          `jobs: DATABASE_URL: "mysql://checkwire:***@db/checkwire" is not a postgres:// URL; ${DB_FIX}`,
        ),
        refused(
          `scheduler: DATABASE_URL: "postgres://checkwire:***@db" names no database; ${DB_FIX}`,
        ),
      ]);
    });

    it('a real PostgreSQL that refuses the password or has no such database, or nothing listening', async () => {
      const wrongPassword = variant((u) => (u.password = SECRET));
      const noDatabase = variant((u) => (u.pathname = '/no_such_db'));
      const closed = await listening();
      const closedPort = portOf(closed);
      await close(closed);
      const nobody = variant((u) => (u.port = String(closedPort)));
      const user = new URL(database.url).username;
      expect(
        await Promise.all([
          runApp('scoring', { DATABASE_URL: wrongPassword.url }),
          runApp('jobs', { DATABASE_URL: noDatabase.url }),
          runApp('scoring', { DATABASE_URL: nobody.url }),
        ]),
      ).toEqual([
        refused(
          `scoring: DATABASE_URL: PostgreSQL refused the password of user "${user}" (${wrongPassword.shown}); put that user's password in DATABASE_URL`,
        ),
        refused(
          `jobs: DATABASE_URL: PostgreSQL has no database "no_such_db" (${noDatabase.shown}); create it (CREATE DATABASE "no_such_db"), or set an existing database in DATABASE_URL`,
        ),
        refused(
          `scoring: DATABASE_URL: nothing accepts connections at 127.0.0.1:${closedPort} (${nobody.shown}); start PostgreSQL there, or set DATABASE_URL to where it runs`,
        ),
      ]);
    });

    it('LC_GATEWAY_ROUTES: not JSON, not a list, an entry without its secret, a handler without a port', async () => {
      const notJson = `[{"name":"example","secret":"${SECRET}" "handler":"127.0.0.1:50061"}]`;
      const routes = (second: object) => JSON.stringify([ROUTE, second]);
      const runs = await Promise.all([
        runApp('lc-gateway', { LC_GATEWAY_ROUTES: notJson }),
        runApp('lc-gateway', { LC_GATEWAY_ROUTES: JSON.stringify(ROUTE) }),
        runApp('lc-gateway', {
          LC_GATEWAY_ROUTES: routes({ name: 'other', handler: '127.0.0.1:50062' }),
        }),
        runApp('lc-gateway', {
          LC_GATEWAY_ROUTES: routes({ name: 'other', secret: SECRET, handler: 'nohostport' }),
        }),
      ]);
      // JSON.parse stops at the token after the secret; its own message (which quotes the text
      // around it) is never shown.
      const stop = notJson.indexOf(' "handler"') + 1;
      expect(runs).toEqual([
        refused(
          `lc-gateway: LC_GATEWAY_ROUTES: is not JSON (error at position ${stop}); ${ROUTES_FIX}`,
        ),
        refused(`lc-gateway: LC_GATEWAY_ROUTES: is an object, not a JSON list; ${ROUTES_FIX}`),
        refused('lc-gateway: LC_GATEWAY_ROUTES: [1].secret: is missing; add "secret" to [1]'),
        refused(
          'lc-gateway: LC_GATEWAY_ROUTES: [1].handler: "nohostport" is not host:port; write it as host:port, e.g. 127.0.0.1:50061',
        ),
      ]);
      expect(JSON.stringify(runs)).not.toContain(SECRET);
    });

    it('LC_GATEWAY_EXTENSIONS: neither list has an entry, a bad extension, a route named ext/…', async () => {
      const runs = await Promise.all([
        runApp('lc-gateway', { LC_GATEWAY_ROUTES: '[]', LC_GATEWAY_EXTENSIONS: '' }),
        runApp('lc-gateway', {
          LC_GATEWAY_EXTENSIONS: JSON.stringify([{ name: 'ext', secret: SECRET, handler: 'x' }]),
        }),
        runApp('lc-gateway', {
          LC_GATEWAY_ROUTES: JSON.stringify([{ ...ROUTE, name: 'ext/a' }]),
        }),
      ]);
      expect(runs).toEqual([
        refused(
          `lc-gateway: LC_GATEWAY_ROUTES: has no route, and LC_GATEWAY_EXTENSIONS no extension; set one of them to a JSON list of {"name", "secret", "handler": "host:port", "token"?}`,
        ),
        refused(
          'lc-gateway: LC_GATEWAY_EXTENSIONS: [0].handler: "x" is not host:port; write it as host:port, e.g. 127.0.0.1:50071',
        ),
        refused(
          'lc-gateway: LC_GATEWAY_ROUTES: [0].name: "ext/a" would take extension paths (/ext/…); give the route a name that does not start with ext/',
        ),
      ]);
      expect(JSON.stringify(runs)).not.toContain(SECRET);
    });

    it('a bad integer, address, handler list or log level', async () => {
      const handlers = JSON.stringify([
        { name: 'example', handler: 'example:99999', token: SECRET },
      ]);
      expect(
        await Promise.all([
          runApp('runner', { RUNNER_CONCURRENCY: 'lots' }),
          runApp('runner', { SCORING_ADDRESS: 'nohostport' }),
          runApp('scheduler', { DATABASE_URL: database.url, SCHEDULER_LC_HANDLERS: handlers }),
          runApp('lc-example', { LOG_LEVEL: 'loud' }),
        ]),
      ).toEqual([
        refused(
          'runner: RUNNER_CONCURRENCY: "lots" is not an integer 1..10000; set it to an integer 1..10000, or unset it for the default 64',
        ),
        refused(
          'runner: SCORING_ADDRESS: "nohostport" is not host:port; set it to host:port, e.g. 127.0.0.1:50051, or unset it for the default 127.0.0.1:50051',
        ),
        refused(
          'scheduler: SCHEDULER_LC_HANDLERS: [0].handler: "example:99999" is not host:port (its port must be 1..65535); write it as host:port, e.g. 127.0.0.1:50061',
        ),
        refused(
          'lc-example: LOG_LEVEL: "loud" is not one of debug, info, warn, error; set it to one of them, or unset it for the default info',
        ),
      ]);
    });

    it('a port in use names the variable (gRPC servers after their database, and the HTTP gateway)', async () => {
      const busy = String(portOf(blocker));
      const inUse = (app: string, variable: string) =>
        refused(
          `${app}: ${variable}: ${busy} is in use by another program; set it to a free port (0 picks one)`,
        );
      expect(
        await Promise.all([
          runApp('scoring', { DATABASE_URL: database.url, SCORING_PORT: busy }),
          runApp('lc-gateway', {
            LC_GATEWAY_ROUTES: JSON.stringify([ROUTE]),
            LC_GATEWAY_PORT: busy,
          }),
          runApp('lc-example', { LC_EXAMPLE_PORT: busy }),
        ]),
      ).toEqual([
        inUse('scoring', 'SCORING_PORT'),
        inUse('lc-gateway', 'LC_GATEWAY_PORT'),
        inUse('lc-example', 'LC_EXAMPLE_PORT'),
      ]);
    });

    it('a metrics port in use or a bad one names its variable, before anything else starts', async () => {
      const busy = String(portOf(blocker));
      expect(
        await Promise.all([
          runApp('runner', { RUNNER_METRICS_PORT: busy }),
          runApp('lc-example', { LC_EXAMPLE_METRICS_PORT: 'on' }),
        ]),
      ).toEqual([
        refused(
          `runner: RUNNER_METRICS_PORT: ${busy} is in use by another program; set it to a free port (0 picks one)`,
        ),
        refused(
          'lc-example: LC_EXAMPLE_METRICS_PORT: "on" is not a port 0..65535 or off; set it to a port (0 picks a free one) or off (no metrics endpoint), or unset it for the default 9469',
        ),
      ]);
    });
  },
);
