import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@checkwire/testing';
import { NO_CHECK_SETTINGS } from '@checkwire/check-settings';
import { MAX_CONVERSATION_BYTES, type CheckTarget } from '../src/index.js';
import { startMariaDb, type Daemon } from './daemons.js';
import { check, closedPort, OPTIONS, target } from './helpers.js';

// The postgresql and mysql checks against real servers (the run's PostgreSQL, MariaDB), with the
// default query and configured ones: values, no rows, SQL errors, writes refused (read-only),
// queries stopped at the time limit, huge values and endless rows bounded.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const withQuery = (t: CheckTarget, query: string, over: Partial<CheckTarget> = {}) => ({
  ...t,
  settings: { ...NO_CHECK_SETTINGS, sql: { query } },
  ...over,
});
/** As withQuery, with a content rule: the value is the rules' content, and no message quotes it. */
const withRule = (t: CheckTarget, query: string, over: Partial<CheckTarget> = {}) => ({
  ...t,
  settings: { ...NO_CHECK_SETTINGS, sql: { query }, expect: [{ contains: 'flag' }] },
  ...over,
});
/**
 * How many of what `count` counts are left once they are gone, or after 5 s (a query stopped on the
 * server leaves within milliseconds; one left running would take its 30 s).
 */
async function gone(count: () => Promise<number>): Promise<number> {
  const end = Date.now() + 5000;
  for (;;) {
    const n = await count();
    if (n === 0 || Date.now() > end) return n;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A time limit the slow queries below run into (the healthy ones take a few ms). */
const SHORT = { timeoutMs: 1500 };

describe('postgresql', () => {
  let database: TestDatabase;
  let admin: pg.Client;
  let t: CheckTarget;
  beforeAll(async () => {
    database = await createTestDatabase();
    closers.push(() => database.drop());
    const url = new URL(database.url);
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    closers.push(() => admin.end());
    await admin.query(`
      CREATE TABLE flags (team int, flag text);
      INSERT INTO flags VALUES (7, 'flag{7}');
      CREATE SEQUENCE tickets;
      CREATE TABLE secrets (s text);
      CREATE FUNCTION plant() RETURNS int LANGUAGE sql AS $$ INSERT INTO flags VALUES (9, 'x') RETURNING team $$;
      DROP ROLE IF EXISTS checkwire_reader;
      CREATE ROLE checkwire_reader LOGIN PASSWORD 'pw4';
      GRANT SELECT ON flags TO checkwire_reader;
    `);
    closers.push(() => admin.query('DROP OWNED BY checkwire_reader; DROP ROLE checkwire_reader'));
    t = target(Number(url.port), {
      host: url.hostname,
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      info: url.pathname.slice(1),
    });
  });
  const flags = async () => (await admin.query('SELECT count(*)::int AS n FROM flags')).rows[0].n;

  it('logs in and runs a query, and reports refused credentials and missing databases', async () => {
    expect(await check('postgres')(t, OPTIONS)).toEqual({
      up: true,
      message: 'postgres SELECT 1 returned "1"',
      content: '1',
    });
    expect(await check('postgres')({ ...t, password: 'wrong' }, OPTIONS)).toMatchObject({
      up: false,
      kind: 'credentials',
    });
    expect(await check('postgres')({ ...t, info: 'no_such_db' }, OPTIONS)).toMatchObject({
      up: false,
      kind: 'content',
    });
  });

  it('runs the configured query: its first value, as text, is compared and is the content', async () => {
    const q = 'SELECT flag, team FROM flags WHERE team = 7';
    expect(await check('postgres')(withQuery(t, q), OPTIONS)).toEqual({
      up: true,
      message: 'postgres query returned "flag{7}"',
      content: 'flag{7}',
    });
    expect(await check('postgres')(withQuery(t, q, { expect: 'flag{7}' }), OPTIONS)).toMatchObject({
      up: true,
    });
    expect(await check('postgres')(withQuery(t, q, { expect: 'flag{8}' }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'postgres query returned "flag{7}", expected "flag{8}"',
    });
    for (const [query, text] of [
      ['SELECT true', 't'],
      ['SELECT 1.50::numeric', '1.50'],
      ["SELECT DATE '2026-12-01'", '2026-12-01'],
      ['VALUES (42);', '42'],
    ])
      expect(await check('postgres')(withQuery(t, query!), OPTIONS)).toMatchObject({
        up: true,
        content: text,
      });
  });

  it('quotes no value when content rules judge it (a query may read a flag)', async () => {
    const q = 'SELECT flag FROM flags WHERE team = 7';
    expect(await check('postgres')(withRule(t, q), OPTIONS)).toEqual({
      up: true,
      message: 'postgres query returned a value',
      content: 'flag{7}',
    });
    expect(await check('postgres')(withRule(t, q, { expect: 'flag{8}' }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'postgres query returned a value, not the expected "flag{8}"',
    });
    expect(await check('postgres')(withRule(t, 'SELECT NULL'), OPTIONS)).toMatchObject({
      message: 'postgres query returned NULL',
    });
  });

  it('fails no rows as content, and takes NULL as an empty content', async () => {
    expect(
      await check('postgres')(withQuery(t, 'SELECT flag FROM flags WHERE team = 99'), OPTIONS),
    ).toEqual({ up: false, kind: 'content', message: 'postgres query returned no rows' });
    expect(await check('postgres')(withQuery(t, 'SELECT NULL'), OPTIONS)).toEqual({
      up: true,
      message: 'postgres query returned NULL',
      content: '',
    });
  });

  it('fails a query the server refuses as content, with its code and message', async () => {
    const refused = async (query: string, over: Partial<CheckTarget> = {}) =>
      (await check('postgres')(withQuery(t, query, over), OPTIONS)) as { message: string };
    expect(await refused('SELECT flag FORM flags')).toEqual({
      up: false,
      kind: 'content',
      message: 'postgres query failed (42601): syntax error at or near "flags"',
    });
    expect((await refused('SELECT * FROM nope')).message).toBe(
      'postgres query failed (42P01): relation "nope" does not exist',
    );
    const reader = { username: 'checkwire_reader', password: 'pw4' };
    expect((await refused('SELECT s FROM secrets', reader)).message).toBe(
      'postgres query failed (42501): permission denied for table secrets',
    );
    expect(
      await check('postgres')(withQuery(t, 'SELECT team FROM flags', reader), OPTIONS),
    ).toMatchObject({ up: true, content: '7' });
  });

  it('runs it read-only: writes are refused, and nothing changes', async () => {
    const message = async (query: string) =>
      ((await check('postgres')(withQuery(t, query), OPTIONS)) as { message: string }).message;
    expect(await message("SELECT nextval('tickets')")).toBe(
      'postgres query failed (25006): cannot execute nextval() in a read-only transaction',
    );
    expect(await message('SELECT plant()')).toBe(
      'postgres query failed (25006): cannot execute INSERT in a read-only transaction',
    );
    // One statement only (the extended protocol), and only one a cursor can run.
    expect(await message('SELECT 1; DELETE FROM flags')).toBe(
      'postgres query failed (42601): cannot insert multiple commands into a prepared statement',
    );
    expect(await message('SELECT 1; COMMIT; DELETE FROM flags')).toMatch(
      /^postgres query failed \(42601\)/,
    );
    expect(await message("INSERT INTO flags VALUES (9, 'x') RETURNING team")).toBe(
      'postgres query failed (42601): syntax error at or near "INSERT"',
    );
    expect(await message('WITH d AS (DELETE FROM flags RETURNING team) SELECT * FROM d')).toMatch(
      /^postgres query failed \(\w+\): /,
    );
    expect(await flags()).toBe(1);
    expect((await admin.query('SELECT last_value, is_called FROM tickets')).rows[0]).toEqual({
      last_value: '1',
      is_called: false,
    });
  });

  it('stops a query at the time limit on the server (statement_timeout)', async () => {
    expect(await check('postgres')(withQuery(t, 'SELECT pg_sleep(30)'), SHORT)).toEqual({
      up: false,
      kind: 'timeout',
      message: 'postgres query: stopped at the time limit (57014)',
    });
    const running = async () =>
      (
        await admin.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%checkwire_check%' AND pid <> pg_backend_pid()",
        )
      ).rows[0].n as number;
    expect(await gone(running)).toBe(0);
  });

  it('reads one row of endless rows, and fails a huge value at the conversation limit', async () => {
    expect(
      await check('postgres')(withQuery(t, 'SELECT generate_series(1, 1000000000)'), OPTIONS),
    ).toEqual({ up: true, message: 'postgres query returned "1"', content: '1' });
    expect(await check('postgres')(withQuery(t, "SELECT repeat('x', 4000000)"), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `postgres 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
    });
    const long = await check('postgres')(withQuery(t, "SELECT repeat('y', 500)"), OPTIONS);
    expect(long).toEqual({
      up: true,
      message: `postgres query returned "${'y'.repeat(200)}…"`,
      content: 'y'.repeat(500),
    });
  });
});

describe('mysql (mariadb)', () => {
  let mariadb: Daemon;
  let t: CheckTarget;
  let owner: mysql.Connection;
  let scratch: string;
  beforeAll(async () => {
    mariadb = await startMariaDb('erin', 'pw3', 'shop');
    closers.push(() => mariadb.stop());
    t = target(mariadb.ports.mysql!, { username: 'erin', password: 'pw3', info: 'shop' });
    owner = await mysql.createConnection({
      host: '127.0.0.1',
      port: mariadb.ports.mysql!,
      user: 'erin',
      password: 'pw3',
      database: 'shop',
    });
    closers.push(() => owner.end());
    await owner.query('CREATE TABLE flags (team int, flag text)');
    await owner.query("INSERT INTO flags VALUES (7, 'flag{7}')");
    await owner.query('CREATE TABLE scores (team int, points int)');
    await owner.query('INSERT INTO scores VALUES (1, 10), (3, 30), (2, 20)');
    // A procedure that writes in a READ WRITE transaction of its own, whatever the session says.
    await owner.query(
      "CREATE PROCEDURE plant() BEGIN START TRANSACTION READ WRITE; INSERT INTO flags VALUES (9, 'x'); COMMIT; SELECT 1; END",
    );
    await owner.query(
      "CREATE FUNCTION plant_fn() RETURNS int BEGIN INSERT INTO flags VALUES (9, 'x'); RETURN 1; END",
    );
    // The FILE privilege, so that only the check keeps SELECT … INTO OUTFILE from writing.
    const root = await mysql.createConnection({
      host: '127.0.0.1',
      port: mariadb.ports.mysql!,
      user: 'root',
    });
    await root.query("GRANT FILE ON *.* TO 'erin'@'%', 'erin'@'localhost'");
    await root.end();
    scratch = mkdtempSync(join(tmpdir(), 'checkwire-sql-'));
    closers.push(() => rmSync(scratch, { recursive: true, force: true }));
  }, 60_000);
  const flags = async () =>
    ((await owner.query('SELECT count(*) AS n FROM flags')) as [{ n: number }[], unknown])[0][0]!.n;

  it('logs in and runs a query, and reports refused credentials', async () => {
    expect(await check('mysql')(t, OPTIONS)).toEqual({
      up: true,
      message: 'mysql SELECT 1 returned "1"',
      content: '1',
    });
    expect(await check('mysql')({ ...t, password: 'bad' }, OPTIONS)).toMatchObject({
      up: false,
      kind: 'credentials',
    });
    expect(await check('mysql')({ ...t, info: 'nope' }, OPTIONS)).toEqual({
      up: false,
      kind: 'credentials',
      message: 'mysql: access to database nope refused',
    });
  });

  it('runs the configured query: its first value, as text, is compared and is the content', async () => {
    const q = 'SELECT flag, team FROM flags WHERE team = 7';
    expect(await check('mysql')(withQuery(t, q), OPTIONS)).toEqual({
      up: true,
      message: 'mysql query returned "flag{7}"',
      content: 'flag{7}',
    });
    expect(await check('mysql')(withQuery(t, q, { expect: 'flag{8}' }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'mysql query returned "flag{7}", expected "flag{8}"',
    });
    for (const [query, text] of [
      ['SELECT 1.50', '1.50'],
      ["SELECT DATE '2026-12-01'", '2026-12-01'],
      ['SELECT 42;', '42'],
    ])
      expect(await check('mysql')(withQuery(t, query!), OPTIONS)).toMatchObject({
        up: true,
        content: text,
      });
    expect(
      await check('mysql')(withQuery(t, 'SELECT flag FROM flags WHERE team = 99'), OPTIONS),
    ).toEqual({ up: false, kind: 'content', message: 'mysql query returned no rows' });
    expect(await check('mysql')(withQuery(t, 'SELECT NULL'), OPTIONS)).toEqual({
      up: true,
      message: 'mysql query returned NULL',
      content: '',
    });
  });

  it('quotes no value when content rules judge it (a query may read a flag)', async () => {
    const q = 'SELECT flag FROM flags WHERE team = 7';
    expect(await check('mysql')(withRule(t, q), OPTIONS)).toEqual({
      up: true,
      message: 'mysql query returned a value',
      content: 'flag{7}',
    });
    expect(await check('mysql')(withRule(t, q, { expect: 'flag{8}' }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'mysql query returned a value, not the expected "flag{8}"',
    });
    expect(await check('mysql')(withRule(t, 'SELECT NULL'), OPTIONS)).toMatchObject({
      message: 'mysql query returned NULL',
    });
  });

  it('fails a query the server refuses as content, with its code and message', async () => {
    const message = async (query: string) =>
      ((await check('mysql')(withQuery(t, query), OPTIONS)) as { message: string }).message;
    expect(await message('SELECT flag FORM flags')).toMatch(
      /^mysql query failed \(ER_PARSE_ERROR 1064\): You have an error in your SQL syntax; /,
    );
    expect(await message('SELECT * FROM nope')).toBe(
      "mysql query failed (ER_NO_SUCH_TABLE 1146): Table 'shop.nope' doesn't exist",
    );
    expect(await message('SELECT * FROM mysql.user')).toMatch(
      /^mysql query failed \(ER_TABLEACCESS_DENIED_ERROR 1142\): SELECT command denied to user 'erin'@'/,
    );
  });

  it('runs it read-only: writes are refused, and nothing changes', async () => {
    const message = async (query: string) =>
      ((await check('mysql')(withQuery(t, query), OPTIONS)) as { message: string }).message;
    const readOnly =
      'mysql query failed (ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION 1792): Cannot execute statement in a READ ONLY transaction';
    expect(await message('SELECT plant_fn()')).toBe(readOnly);
    expect(await message('SELECT team FROM flags FOR UPDATE')).toBe(readOnly);
    expect(await flags()).toBe(1);
  });

  it('runs only a query: CALL, INTO OUTFILE and other statements are syntax errors', async () => {
    const message = async (query: string) =>
      ((await check('mysql')(withQuery(t, query), OPTIONS)) as { message: string }).message;
    const syntaxError =
      /^mysql query failed \(ER_PARSE_ERROR 1064\): You have an error in your SQL/;
    // Read-only mode alone runs these: the procedure starts a READ WRITE transaction of its own.
    expect(await message('CALL plant()')).toMatch(syntaxError);
    const outfile = join(scratch, 'planted.txt');
    expect(await message(`SELECT flag FROM flags INTO OUTFILE '${outfile}'`)).toMatch(syntaxError);
    // Closing the parenthesis early, the rest in a comment that never ends.
    expect(await message(`SELECT 1) INTO OUTFILE '${outfile}' /*`)).toMatch(syntaxError);
    for (const query of [
      "INSERT INTO flags VALUES (9, 'x')",
      'DELETE FROM flags',
      'CREATE TABLE planted (x int)',
      'DROP TABLE flags',
      'SELECT 1; DELETE FROM flags',
      'DO 1',
      'SET @x = 1',
      'KILL QUERY 1',
      'SHUTDOWN',
    ])
      expect(await message(query)).toMatch(syntaxError);
    expect(existsSync(outfile)).toBe(false);
    expect(await flags()).toBe(1);
  });

  it('runs a query as it is written: its order, a union, columns of the same name', async () => {
    const content = async (query: string) =>
      ((await check('mysql')(withQuery(t, query), OPTIONS)) as { content?: string }).content;
    expect(await content('SELECT team FROM scores ORDER BY points DESC')).toBe('3');
    expect(await content('SELECT team FROM scores ORDER BY points DESC LIMIT 2, 1')).toBe('1');
    expect(await content('SELECT 1 UNION SELECT 2 ORDER BY 1 DESC')).toBe('2');
    expect(await content('SELECT s.team, f.team FROM scores s JOIN flags f ORDER BY s.team')).toBe(
      '1',
    );
    expect(await content('SELECT team FROM scores -- the first\n ORDER BY team DESC;\n')).toBe('3');
    // MariaDB takes no WITH in parentheses, but in a subquery.
    expect(await content('SELECT n FROM (WITH w AS (SELECT 5 AS n) SELECT n FROM w) AS x')).toBe(
      '5',
    );
  });

  it('stops a query at the time limit on the server (max_statement_time)', async () => {
    expect(await check('mysql')(withQuery(t, 'SELECT SLEEP(30)'), SHORT)).toEqual({
      up: false,
      kind: 'timeout',
      message: 'mysql query: stopped at the time limit (1969)',
    });
    const running = async () => {
      const [list] = (await owner.query('SHOW FULL PROCESSLIST')) as [
        { Info: string | null }[],
        unknown,
      ];
      return list.filter((p) => p.Info?.includes('SLEEP(30)')).length;
    };
    expect(await gone(running)).toBe(0);
  });

  it('reads one row of endless rows, and fails a huge value at the conversation limit', async () => {
    expect(
      await check('mysql')(withQuery(t, 'SELECT seq FROM seq_1_to_1000000000'), OPTIONS),
    ).toEqual({ up: true, message: 'mysql query returned "1"', content: '1' });
    expect(await check('mysql')(withQuery(t, "SELECT REPEAT('x', 4000000)"), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `mysql 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
    });
  });
});

describe('refused', () => {
  it.each(['postgres', 'mysql'])('%s: a closed port is down (connection)', async (protocol) => {
    expect(await check(protocol)(target(await closedPort()), OPTIONS)).toEqual({
      up: false,
      kind: 'connection',
      message: `${protocol} 127.0.0.1: ECONNREFUSED`,
      detail: expect.stringContaining('ECONNREFUSED'),
    });
  });
});
