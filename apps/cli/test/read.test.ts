import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import { AdminServiceService } from '@checkwire/proto';
import { ScoringApp } from '@checkwire/scoring';
import { createTestDatabase, type TestDatabase } from '@checkwire/testing';
import { runCli } from './run-cli.js';

// `checkwire teams`, `services` and `errors` against the real scoring server: a competition
// applied with `apply` (then one service removed from the file, another taken down through
// UpdateService), check errors written as the check runner's reports are stored, and what the
// admin, a blue team and the public are each shown.

let database: TestDatabase;
let app: ScoringApp;
let sql: pg.Pool;
let admin: string;
/** A blue team's token (team Bravo). */
let blue: string;
const dir = mkdtempSync(join(tmpdir(), 'checkwire-read-'));

/** Each CLI run starts node and tsx: seconds on a busy machine. A limit, not a measurement. */
const SLOW = 180_000;

const DB_PASSWORD = 'Hunter2-Db-Secret';
const POOL_PASSWORD = 'Pool-Secret-1';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const LONG_MESSAGE = `expected "Bravo" in the page, got:\n<html><head><title>It works!</title></head><body>${'x'.repeat(100)}`;

const EVENT = (withFtp: boolean) =>
  [
    'name: CLI read test',
    'credential_pools:',
    `  - { name: linux-users, credentials: [{ username: alice, password: '${POOL_PASSWORD}' }] }`,
    'teams:',
    '  - name: Alpha',
    '    services:',
    "      - { name: www, subtype: HTTP, url: 'http://10.0.1.10/', port: 80, public_visibility: true }",
    `      - { name: db, subtype: MySQL, url: 10.0.1.16, port: 3306, username: scorer, password: '${DB_PASSWORD}', blue_visibility: true, points: 75 }`,
    ...(withFtp ? ['      - { name: ftp, subtype: FTP, url: 10.0.1.15, port: 21 }'] : []),
    '  - name: Bravo',
    '    services:',
    "      - { name: www, subtype: HTTP, url: 'http://10.0.2.10/', port: 80, public_visibility: true }",
    '      - { name: ssh, subtype: SSH, url: 10.0.2.13, port: 22, credential_pool: linux-users }',
    '',
  ].join('\n');

/** Ids by name: teams `Alpha`, `Bravo`; services `Alpha/www`, `Bravo/ssh`… */
const ids = new Map<string, number>();
const id = (name: string) => {
  const found = ids.get(name);
  if (found === undefined) throw new Error(`no id for ${name}`);
  return found;
};

const cli = (args: string[], token = admin) =>
  runCli(args, { CHECKWIRE_ADDRESS: app.address, CHECKWIRE_TOKEN: token });

/** Writes a failed score, the error a check reported against it, at `time`, and its service's last check. */
async function reportError(
  service: string,
  kind: string,
  message: string,
  time: string,
  traceId?: string,
) {
  const run =
    traceId === undefined
      ? null
      : (
          await sql.query(
            `INSERT INTO check_run (service_id, started_at, finished_at, trace_id, span_id)
             VALUES ($1, $2, $2, $3, '00f067aa0ba902b7') RETURNING id`,
            [id(service), time, traceId],
          )
        ).rows[0].id;
  await sql.query(
    `WITH s AS (INSERT INTO score (service_id, check_run_id, result, submitted_result, capped, created_at)
                VALUES ($1, $2, 0, 0, false, $5) RETURNING id, service_id)
     INSERT INTO service_error (score_id, service_id, kind, message, detail, created_at)
     SELECT s.id, s.service_id, $3, $4, 'stack: ...', $5 FROM s`,
    [id(service), run, kind, message, time],
  );
  // What storing a score does to its service (the status pages' last check).
  await sql.query(
    'UPDATE service SET last_scan = 0, last_scan_time = $2, last_scan_error = $3 WHERE id = $1',
    [id(service), time, message],
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await ScoringApp.start({ databaseUrl: database.url, bootstrapAdminToken: true });
  admin = app.bootstrapToken!.secret;
  sql = new pg.Pool({ connectionString: database.url, max: 1 });

  // Applied with ftp, then without it: ftp stays, disabled.
  for (const [file, withFtp] of [
    ['full.yaml', true],
    ['no-ftp.yaml', false],
  ] as const) {
    const path = join(dir, file);
    writeFileSync(path, EVENT(withFtp));
    const applied = await cli(['apply', '-f', path]);
    expect(applied.stderr).toBe('');
  }
  const { rows } = await sql.query(
    `SELECT t.name AS team, t.id AS team_id, s.name AS service, s.id AS service_id
     FROM team t JOIN service s ON s.team_id = t.id`,
  );
  for (const r of rows as {
    team: string;
    team_id: number;
    service: string;
    service_id: number;
  }[]) {
    ids.set(r.team, Number(r.team_id));
    ids.set(`${r.team}/${r.service}`, Number(r.service_id));
  }
  // The tables below are written out with single-digit ids, as a fresh database gives them.
  expect(Math.max(...ids.values())).toBeLessThan(10);

  // Taken down by the white team, with a reason (as the console does).
  const adminClient = createPromiseClient(AdminServiceService, app.address, { token: admin });
  try {
    await adminClient.updateService({
      service: {
        id: id('Bravo/www'),
        administrativelyDown: true,
        downReason: 'maintenance: disk swap',
      },
      updateMask: ['administratively_down', 'down_reason'],
    });
  } finally {
    adminClient.close();
  }

  const created = await cli([
    'tokens',
    'create',
    '--name',
    'bravo-blue',
    '--role',
    'blue',
    '--team',
    String(id('Bravo')),
  ]);
  blue = /secret \(shown once, store it now\): (\S+)/.exec(created.stdout)![1]!;

  await reportError(
    'Alpha/www',
    'timeout',
    'connect ETIMEDOUT 10.0.1.10:80',
    '2026-12-01T10:00:00Z',
    TRACE,
  );
  await reportError(
    'Alpha/db',
    'credentials',
    'Access denied for user scorer',
    '2026-12-01T10:01:00Z',
  );
  await reportError('Bravo/www', 'content', LONG_MESSAGE, '2026-12-01T10:02:00Z');
  await reportError(
    'Bravo/ssh',
    'connection',
    'connect ECONNREFUSED 10.0.2.13:22',
    '2026-12-01T10:03:00Z',
  );
  // A day earlier, 1100 of them from one service: more than one page (the server's are 1..1000).
  await sql.query(
    `WITH s AS (INSERT INTO score (service_id, result, submitted_result, capped, created_at)
                SELECT $1, 0, 0, false, '2026-11-30T00:00:00Z'::timestamptz + n * interval '1 second'
                FROM generate_series(1, 1100) AS n RETURNING id, service_id, created_at)
     INSERT INTO service_error (score_id, service_id, kind, message, created_at)
     SELECT id, service_id, 'other', 'refused #' || id, created_at FROM s ORDER BY id`,
    [id('Alpha/ftp')],
  );
}, SLOW);

afterAll(async () => {
  await sql?.end();
  await app?.stop();
  await database?.drop();
});

describe('checkwire teams', () => {
  it(
    'lists every team with how many of its services the token may see, as a table or JSON',
    async () => {
      const table = await cli(['teams']);
      expect(table).toEqual({
        code: 0,
        stdout: expect.any(String),
        stderr: '',
      });
      const lines = table.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('id  name   services  disabled  created');
      expect(lines.slice(1).map((l) => l.replace(/\d{4}-\d\d-\d\dT\S+Z$/, 'TIME'))).toEqual([
        ` ${id('Alpha')}  Alpha         3         1  TIME`,
        ` ${id('Bravo')}  Bravo         2         0  TIME`,
      ]);
      // `teams list` is `teams`.
      expect((await cli(['teams', 'list'])).stdout).toBe(table.stdout);

      const json = JSON.parse((await cli(['teams', 'list', '--json'])).stdout) as unknown[];
      expect(json).toEqual([
        {
          id: id('Alpha'),
          name: 'Alpha',
          createdAt: expect.stringMatching(/^\d{4}-/),
          serviceCount: 3,
          disabledServiceCount: 1,
        },
        {
          id: id('Bravo'),
          name: 'Bravo',
          createdAt: expect.stringMatching(/^\d{4}-/),
          serviceCount: 2,
          disabledServiceCount: 0,
        },
      ]);

      // The public sees each team's public service only; Bravo's blue team its own and Alpha's
      // public and blue ones (www, db), not Alpha's ftp.
      const counts = async (token: string) =>
        (
          JSON.parse((await cli(['teams', '--json'], token)).stdout) as {
            name: string;
            serviceCount: number;
          }[]
        ).map((t) => `${t.name}: ${t.serviceCount}`);
      expect(await counts('')).toEqual(['Alpha: 1', 'Bravo: 1']);
      expect(await counts(blue)).toEqual(['Alpha: 2', 'Bravo: 2']);
    },
    SLOW,
  );

  it(
    'shows one team by id or by name, with its services; an unknown one is one line, exit 1',
    async () => {
      const byName = await cli(['teams', 'get', 'Bravo']);
      expect(byName.stderr).toBe('');
      expect(byName.stdout.replace(/\d{4}-\d\d-\d\dT\S+Z/, 'TIME')).toBe(
        [
          `id:       ${id('Bravo')}`,
          'name:     Bravo',
          'created:  TIME',
          'services: 2',
          '',
          'id  team   name  subtype  url                port  points  enabled  admin-down',
          ` ${id('Bravo/www')}  Bravo  www   HTTP     http://10.0.2.10/    80     100  yes      yes: maintenance: disk swap`,
          ` ${id('Bravo/ssh')}  Bravo  ssh   SSH      10.0.2.13            22     100  yes      no`,
          '',
        ].join('\n'),
      );
      expect(await cli(['teams', 'get', String(id('Bravo'))])).toEqual(byName);

      const json = JSON.parse((await cli(['teams', 'get', 'Alpha', '--json'])).stdout) as {
        name: string;
        services: { name: string; passwordSet: boolean }[];
      };
      expect(json.name).toBe('Alpha');
      expect(json.services.map((s) => `${s.name} ${s.passwordSet}`)).toEqual([
        'www false',
        'db true',
        'ftp false',
      ]);

      expect(await cli(['teams', 'get', 'Charlie'])).toEqual({
        code: 1,
        stdout: '',
        stderr: 'checkwire: no team is named "Charlie" (teams list shows them)\n',
      });
      expect(await cli(['teams', 'get', '999999'])).toEqual({
        code: 1,
        stdout: '',
        stderr: 'checkwire: NOT_FOUND: team 999999 not found\n',
      });
      expect(await cli(['teams', 'get'])).toEqual({
        code: 2,
        stdout: '',
        stderr: 'usage: teams get takes one team id or name\n',
      });
      const unknown = await cli(['teams', 'delete', '1']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/^usage: checkwire tokens create /);
      expect(unknown.stderr).toContain('checkwire teams get ID|NAME [--json]');
    },
    SLOW,
  );
});

describe('checkwire services', () => {
  it(
    'lists services with their address, points, enabled and admin-down state; never a password',
    async () => {
      const all = await cli(['services']);
      expect(all).toEqual({
        code: 0,
        stdout: [
          'id  team   name  subtype  url                port  points  enabled  admin-down',
          ` ${id('Alpha/www')}  Alpha  www   HTTP     http://10.0.1.10/    80     100  yes      no`,
          ` ${id('Alpha/db')}  Alpha  db    MySQL    10.0.1.16          3306      75  yes      no`,
          ` ${id('Alpha/ftp')}  Alpha  ftp   FTP      10.0.1.15            21     100  no       yes: removed from the competition file`,
          ` ${id('Bravo/www')}  Bravo  www   HTTP     http://10.0.2.10/    80     100  yes      yes: maintenance: disk swap`,
          ` ${id('Bravo/ssh')}  Bravo  ssh   SSH      10.0.2.13            22     100  yes      no`,
          '',
        ].join('\n'),
        stderr: '',
      });
      expect((await cli(['services', 'list'])).stdout).toBe(all.stdout);

      const bravo = await cli(['services', '--team', String(id('Bravo'))]);
      expect(bravo.stdout.trimEnd().split('\n').slice(1)).toEqual(
        all.stdout.trimEnd().split('\n').slice(4),
      );

      const json = await cli(['services', '--json']);
      expect(json.stdout).not.toContain(DB_PASSWORD);
      expect(json.stdout).not.toContain(POOL_PASSWORD);
      const records = JSON.parse(json.stdout) as Record<string, unknown>[];
      expect(records.map((r) => r.id)).toEqual(
        ['Alpha/www', 'Alpha/db', 'Alpha/ftp', 'Bravo/www', 'Bravo/ssh'].map(id),
      );
      expect(records.every((r) => !('password' in r))).toBe(true);
      expect(records[1]).toMatchObject({
        name: 'db',
        teamId: id('Alpha'),
        subtype: 'MySQL',
        url: '10.0.1.16',
        port: 3306,
        points: 75,
        username: 'scorer',
        passwordSet: true,
        disabled: false,
        administrativelyDown: false,
      });
      expect(records[3]).toMatchObject({
        administrativelyDown: true,
        downReason: 'maintenance: disk swap',
      });
      expect(records[4]).toMatchObject({ passwordSet: false });
      expect(typeof records[4]!.credentialPoolId).toBe('number');

      // A blue team sees its own services and the others' public and blue ones, no credentials.
      const asBlue = await cli(['services', '--json'], blue);
      const seen = JSON.parse(asBlue.stdout) as { id: number; username: string }[];
      expect(seen.map((s) => s.id)).toEqual(
        ['Alpha/www', 'Alpha/db', 'Bravo/www', 'Bravo/ssh'].map(id),
      );
      expect(seen.find((s) => s.id === id('Alpha/db'))).toMatchObject({
        username: '',
        passwordSet: false,
      });
      expect(await cli(['services', '--team', '999999'])).toEqual({
        code: 0,
        stdout: 'no services of team 999999\n',
        stderr: '',
      });
    },
    SLOW,
  );

  it(
    "shows one service's fields, its password only as (set)",
    async () => {
      const db = await cli(['services', 'get', String(id('Alpha/db'))]);
      expect(db.stderr).toBe('');
      expect(db.stdout).not.toContain(DB_PASSWORD);
      expect(db.stdout.replace(/\d{4}-\d\d-\d\dT\S+Z/g, 'TIME')).toBe(
        [
          `id:                 ${id('Alpha/db')}`,
          'name:               db',
          `team:               Alpha (${id('Alpha')})`,
          'subtype:            MySQL',
          'url:                10.0.1.16',
          'port:               3306',
          'protocol:           -',
          'runner pool:        default',
          'external:           no',
          'points:             75',
          'score cap:          -',
          'enabled:            yes',
          'admin-down:         no',
          'username:           scorer',
          'password:           (set)',
          'credential pool:    -',
          'http string:        -',
          'team-specific info: -',
          'check settings:     none',
          'team specific:      no',
          'visible to:         blue',
          'last check:         down (result 0) at TIME: Access denied for user scorer',
          'created:            TIME',
          'updated:            TIME',
          '',
        ].join('\n'),
      );
      const ftp = await cli(['services', 'get', String(id('Alpha/ftp'))]);
      expect(ftp.stdout).toContain(
        '\nenabled:            no (no longer in the competition file)\n',
      );
      expect(ftp.stdout).toContain(
        '\nadmin-down:         yes: removed from the competition file\n',
      );
      expect(ftp.stdout).toContain('\nvisible to:         the white team only\n');

      const json = await cli(['services', 'get', String(id('Alpha/db')), '--json']);
      expect(JSON.parse(json.stdout)).toMatchObject({ name: 'db', passwordSet: true });
      expect(json.stdout).not.toContain(DB_PASSWORD);

      // What the blue team may not see does not exist for it; what it may, without credentials.
      expect(await cli(['services', 'get', String(id('Alpha/ftp'))], blue)).toEqual({
        code: 1,
        stdout: '',
        stderr: `checkwire: NOT_FOUND: service ${id('Alpha/ftp')} not found\n`,
      });
      const asBlue = await cli(['services', 'get', String(id('Alpha/db'))], blue);
      expect(asBlue.stdout).toContain('\nusername:           -\npassword:           -\n');
    },
    SLOW,
  );

  it(
    'refuses usage mistakes with one line and exit code 2',
    async () => {
      expect(await cli(['services', '--team', 'abc'])).toEqual({
        code: 2,
        stdout: '',
        stderr: 'usage: --team must be a positive id, got "abc"\n',
      });
      expect(await cli(['services', 'get', 'x'])).toEqual({
        code: 2,
        stdout: '',
        stderr: 'usage: ID must be a positive id, got "x"\n',
      });
      expect(await cli(['services', 'get'])).toEqual({
        code: 2,
        stdout: '',
        stderr: 'usage: services get takes one service id\n',
      });
    },
    SLOW,
  );
});

describe('checkwire errors', () => {
  /**
   * A line of the table: time (24 characters), team (5), service (7: `www (4)`), kind (11:
   * `credentials`), message (72: the longest, cut), trace, two spaces apart.
   */
  const line = (cells: [string, string, string, string, string, string]) =>
    [
      cells[0],
      cells[1].padEnd(5),
      cells[2].padEnd(7),
      cells[3].padEnd(11),
      cells[4].padEnd(72),
      cells[5],
    ]
      .join('  ')
      .trimEnd();
  const HEAD = line(['time                    ', 'team', 'service', 'kind', 'message', 'trace']);
  /** The rows of the errors reported on 2026-12-01, newest first. */
  const ROWS = () => ({
    ssh: line([
      '2026-12-01T10:03:00.000Z',
      'Bravo',
      `ssh (${id('Bravo/ssh')})`,
      'connection',
      'connect ECONNREFUSED 10.0.2.13:22',
      '-',
    ]),
    bravoWww: line([
      '2026-12-01T10:02:00.000Z',
      'Bravo',
      `www (${id('Bravo/www')})`,
      'content',
      // One line, cut at 72 characters.
      'expected "Bravo" in the page, got: <html><head><title>It works!</title>…',
      '-',
    ]),
    db: line([
      '2026-12-01T10:01:00.000Z',
      'Alpha',
      `db (${id('Alpha/db')})`,
      'credentials',
      'Access denied for user scorer',
      '-',
    ]),
    alphaWww: line([
      '2026-12-01T10:00:00.000Z',
      'Alpha',
      `www (${id('Alpha/www')})`,
      'timeout',
      'connect ETIMEDOUT 10.0.1.10:80',
      TRACE,
    ]),
  });

  it(
    'lists errors newest first: time, team, service, kind, the message on one line, the trace',
    async () => {
      const r = ROWS();
      expect(await cli(['errors', '--since', '2026-12-01'])).toEqual({
        code: 0,
        stdout: [HEAD, r.ssh, r.bravoWww, r.db, r.alphaWww, ''].join('\n'),
        stderr: '',
      });
      // Since inclusive, until exclusive.
      expect(
        (
          await cli([
            'errors',
            '--since',
            '2026-12-01T10:01:00Z',
            '--until',
            '2026-12-01T12:03+02:00',
          ])
        ).stdout,
      ).toBe([HEAD, r.bravoWww, r.db, ''].join('\n'));
    },
    SLOW,
  );

  it(
    'filters by team, service, subtype and kind; --json has each error whole',
    async () => {
      const services = async (args: string[]) =>
        (
          JSON.parse(
            (await cli(['errors', '--since', '2026-12-01', '--json', ...args])).stdout,
          ) as { service: string; team: string }[]
        ).map((e) => `${e.team}/${e.service}`);
      expect(await services(['--team', String(id('Alpha'))])).toEqual(['Alpha/db', 'Alpha/www']);
      expect(await services(['--service', String(id('Bravo/ssh'))])).toEqual(['Bravo/ssh']);
      expect(await services(['--subtype', 'HTTP'])).toEqual(['Bravo/www', 'Alpha/www']);
      expect(await services(['--kind', 'credentials'])).toEqual(['Alpha/db']);
      expect(await services(['--team', String(id('Bravo')), '--kind', 'timeout'])).toEqual([]);

      const [content] = JSON.parse(
        (await cli(['errors', '--kind', 'content', '--json'])).stdout,
      ) as unknown[];
      expect(content).toEqual({
        id: expect.any(Number),
        time: '2026-12-01T10:02:00.000Z',
        teamId: id('Bravo'),
        team: 'Bravo',
        serviceId: id('Bravo/www'),
        service: 'www',
        subtype: 'HTTP',
        kind: 'content',
        message: LONG_MESSAGE,
        detail: 'stack: ...',
        traceId: null,
        scoreId: expect.any(Number),
      });
      const [timeout] = JSON.parse(
        (await cli(['errors', '--kind', 'timeout', '--json'])).stdout,
      ) as { traceId: string }[];
      expect(timeout?.traceId).toBe(TRACE);
      expect(await cli(['errors', '--kind', 'timeout', '--team', String(id('Bravo'))])).toEqual({
        code: 0,
        stdout: 'no service errors\n',
        stderr: '',
      });
    },
    SLOW,
  );

  it(
    'pages through the server until --limit, and says when more match',
    async () => {
      const ftp = ['errors', '--service', String(id('Alpha/ftp'))];
      // 1100 match: a page of 1000, then the rest.
      const every = JSON.parse((await cli([...ftp, '--limit', '5000', '--json'])).stdout) as {
        id: number;
        message: string;
      }[];
      expect(every).toHaveLength(1100);
      expect(every.every((e, i) => i === 0 || e.id < every[i - 1]!.id)).toBe(true);
      const some = JSON.parse((await cli([...ftp, '--limit', '1050', '--json'])).stdout) as {
        id: number;
      }[];
      expect(some.map((e) => e.id)).toEqual(every.slice(0, 1050).map((e) => e.id));

      const three = await cli([...ftp, '--limit', '3']);
      const lines = three.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(5);
      expect(lines[1]).toMatch(
        new RegExp(
          `^2026-11-30T00:18:20\\.000Z  Alpha  ftp \\(\\d\\)  other  ${every[0]!.message} +-$`,
        ),
      );
      expect(lines[4]).toBe(
        'more errors match: these are the newest 3; raise --limit or narrow with --since/--until',
      );
      // The default is 100.
      expect((await cli(ftp)).stdout.trimEnd().split('\n')).toHaveLength(102);
    },
    SLOW,
  );

  it(
    'is for the white team: another role is refused with the server’s words',
    async () => {
      expect(await cli(['errors'], blue)).toEqual({
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(/^checkwire: PERMISSION_DENIED: .*ListServiceErrors.*\n$/),
      });
      expect(await cli(['errors'], '')).toEqual({
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(/^checkwire: UNAUTHENTICATED: .*ListServiceErrors/),
      });
    },
    SLOW,
  );

  it(
    'refuses usage mistakes with one line naming the option, exit code 2',
    async () => {
      const usage = async (args: string[], line: string) =>
        expect(await cli(['errors', ...args])).toEqual({
          code: 2,
          stdout: '',
          stderr: `usage: ${line}\n`,
        });
      await usage(['--team', 'abc'], '--team must be a positive id, got "abc"');
      await usage(['--service', '0'], '--service must be a positive id, got "0"');
      await usage(
        ['--kind', 'fatal'],
        '--kind must be one of timeout, content, credentials, connection, other, no_runner, got "fatal"',
      );
      await usage(
        ['--since', 'yesterday'],
        '--since must be an ISO 8601 date or time with its zone (2026-12-01, 2026-12-01T10:00:00Z, 2026-12-01T12:00+02:00), got "yesterday"',
      );
      await usage(
        ['--until', '2026-12-01T10:00:00'],
        '--until must be an ISO 8601 date or time with its zone (2026-12-01, 2026-12-01T10:00:00Z, 2026-12-01T12:00+02:00), got "2026-12-01T10:00:00"',
      );
      await usage(
        ['--since', '2026-12-02', '--until', '2026-12-01'],
        '--since must be before --until, got 2026-12-02T00:00:00.000Z and 2026-12-01T00:00:00.000Z',
      );
      await usage(['--limit', '0'], '--limit must be a positive whole number, got "0"');
      await usage(['--subtype', ''], '--subtype must not be empty');
    },
    SLOW,
  );
});
