import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoringApp } from '@checkwire/scoring';
import { createTestDatabase, type TestDatabase } from '@checkwire/testing';
import { runCli, startCli } from './run-cli.js';

// `checkwire apply` and `export` against the real scoring server: a whole example event applied,
// re-applied, exported and applied back, and files that are refused changing nothing.

let database: TestDatabase;
let app: ScoringApp;
let sql: pg.Pool;
let admin: string;
const dir = mkdtempSync(join(tmpdir(), 'checkwire-event-'));
const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'event.yaml');

beforeAll(async () => {
  database = await createTestDatabase();
  app = await ScoringApp.start({ databaseUrl: database.url, bootstrapAdminToken: true });
  admin = app.bootstrapToken!.secret;
  sql = new pg.Pool({ connectionString: database.url, max: 1 });
});
afterAll(async () => {
  await sql.end();
  await app.stop();
  await database.drop();
});

const cli = (args: string[], token = admin, env: Record<string, string> = {}) =>
  runCli(args, { CHECKWIRE_ADDRESS: app.address, CHECKWIRE_TOKEN: token, ...env });

/** Each CLI run starts node and tsx: seconds on a busy machine. A limit, not a measurement. */
const SLOW = 180_000;

/** Everything apply may write, read straight from the database. */
async function snapshot(): Promise<string> {
  const tables = await Promise.all(
    [
      'SELECT * FROM competition',
      'SELECT * FROM credential_pool ORDER BY id',
      'SELECT * FROM credential ORDER BY pool_id, position',
      'SELECT * FROM team ORDER BY id',
      'SELECT * FROM service ORDER BY id',
    ].map(async (q) => (await sql.query(q)).rows),
  );
  return JSON.stringify(tables);
}

function writeEvent(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('checkwire apply and export', () => {
  it(
    'dry-runs, applies, re-applies (no change), exports and applies the export back (no change)',
    async () => {
      const dry = await cli(['apply', '-f', EXAMPLE, '--dry-run']);
      expect(dry.code).toBe(0);
      // 1 settings + 1 pool + 10 teams + 80 services, nothing written.
      expect(dry.stdout).toMatch(/: 92 changes to make \(dry run: nothing written\)\n/);
      expect(dry.stdout).toContain(
        '  + service Team 03/www: HTTP http://10.0.3.10/ port 80, 100 points',
      );
      expect(dry.stdout).toContain(
        '  + service Team 10/www: HTTP http://10.0.10.10:8080/ port 8080',
      );
      expect(dry.stdout).toContain('  + service Team 01/db: MySQL 10.0.1.16 port 3306, 150 points');
      expect(dry.stdout).toContain(
        'sla: off → additive: 25, then 25 more each failed round from failed round 3 in a row, at most 200 a round',
      );
      expect((await sql.query('SELECT count(*)::int AS n FROM service')).rows[0].n).toBe(0);

      const applied = await cli(['apply', '-f', EXAMPLE]);
      expect(applied.code).toBe(0);
      expect(applied.stdout).toMatch(/: applied 92 changes\n/);
      const counts = await sql.query(
        `SELECT (SELECT count(*)::int FROM team) AS teams, (SELECT count(*)::int FROM service) AS services,
                (SELECT count(*)::int FROM credential) AS credentials,
                (SELECT check_interval_seconds FROM competition) AS interval`,
      );
      expect(counts.rows[0]).toEqual({ teams: 10, services: 80, credentials: 3, interval: 60 });
      const ssh = await sql.query(
        `SELECT s.url, s.port, s.points, p.name AS pool FROM service s JOIN team t ON t.id = s.team_id
         LEFT JOIN credential_pool p ON p.id = s.credential_pool_id WHERE t.name = 'Team 07' AND s.name = 'ssh'`,
      );
      expect(ssh.rows).toEqual([{ url: '10.0.7.13', port: 22, points: 50, pool: 'linux-users' }]);

      const before = await snapshot();
      const again = await cli(['apply', '-f', EXAMPLE]);
      expect(again).toEqual({
        code: 0,
        stdout: `${EXAMPLE}: nothing to change; the competition already matches it (92 unchanged)\n`,
        stderr: '',
      });
      expect(await snapshot()).toBe(before);

      const exported = join(dir, 'exported.yaml');
      expect((await cli(['export', '-o', exported])).stdout).toBe(
        `wrote ${exported}: 10 teams, 80 services, 1 credential pools\n`,
      );
      expect(readFileSync(exported, 'utf8')).toContain(
        'sla:\n  model: additive\n  threshold: 3\n  penalty: 25\n  max_penalty: 200\n',
      );
      const back = await cli(['apply', '-f', exported]);
      expect(back.stdout).toBe(
        `${exported}: nothing to change; the competition already matches it (92 unchanged)\n`,
      );
      expect(await snapshot()).toBe(before);
    },
    SLOW,
  );

  it(
    'disables (never deletes) what the file no longer names, keeps its scores, and says a secret changed without showing it',
    async () => {
      const { rows } = await sql.query(
        `SELECT s.id FROM service s JOIN team t ON t.id = s.team_id WHERE t.name = 'Team 02' AND s.name = 'ftp'`,
      );
      const ftp = rows[0].id as number;
      await sql.query(
        `INSERT INTO score (service_id, result, submitted_result, capped) VALUES ($1, 1, 1, false)`,
        [ftp],
      );
      const text = readFileSync(EXAMPLE, 'utf8')
        .replace(
          '- { name: Team 02, use: [blue-team] }',
          `- name: Team 02\n    use: [blue-team]\n    services: [{ name: db, password: "new-\${DB_PASSWORD}" }]`,
        )
        .replace('  - { name: Team 09, use: [blue-team] }\n', '');
      const withoutFtp = text.replace(/ {4}- name: ftp\n( {6}.*\n)+/, '');
      const file = writeEvent('smaller.yaml', withoutFtp);
      const result = await cli(['apply', '-f', file], admin, { DB_PASSWORD: 's3cret-value' });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('  ~ service Team 02/db: password changed\n');
      expect(result.stdout).toContain(
        '  - service Team 02/ftp: no longer in the competition file: not checked; its scores are kept\n',
      );
      expect(result.stdout).toContain(
        '  - team Team 09: no longer in the competition file; its scores are kept\n',
      );
      expect(result.stdout).not.toContain('s3cret-value');
      const after = await sql.query(
        `SELECT administratively_down, down_reason, disabled_at IS NOT NULL AS disabled,
                (SELECT count(*)::int FROM score WHERE service_id = $1) AS scores
         FROM service WHERE id = $1`,
        [ftp],
      );
      expect(after.rows[0]).toEqual({
        administratively_down: true,
        down_reason: 'removed from the competition file',
        disabled: true,
        scores: 1,
      });
      const team9 = await sql.query(
        `SELECT count(*) FILTER (WHERE s.disabled_at IS NOT NULL)::int AS disabled, count(*)::int AS all
         FROM service s JOIN team t ON t.id = s.team_id WHERE t.name = 'Team 09'`,
      );
      expect(team9.rows[0]).toEqual({ disabled: 8, all: 8 });

      // Back in the file: enabled again, checked again.
      const restored = await cli(['apply', '-f', EXAMPLE]);
      expect(restored.stdout).toContain('  ^ service Team 02/ftp: back in the competition file\n');
      expect(restored.stdout).toContain('  ^ team Team 09: back in the competition file\n');
      const ftpNow = await sql.query(
        'SELECT administratively_down, disabled_at FROM service WHERE id = $1',
        [ftp],
      );
      expect(ftpNow.rows[0]).toEqual({ administratively_down: false, disabled_at: null });
    },
    SLOW,
  );

  it(
    'refuses a file with every problem named by path and line; nothing changes',
    async () => {
      const before = await snapshot();
      const file = writeEvent(
        'bad.yaml',
        [
          'name: Bad',
          'checks: { interval_seconds: 60, retires: 2 }',
          'templates:',
          '  std:',
          '    - name: web',
          '      subtype: HTTP',
          '      url: "http://10.0.{{team.number}}.1/"',
          'teams:',
          '  - name: Team 01',
          '    use: [std]',
          '    services:',
          '      - { name: db, subtype: MySQL, port: 70000, password: "${UNSET_PASSWORD_VAR}" }',
          '',
        ].join('\n'),
      );
      expect(await cli(['apply', '-f', file])).toEqual({
        code: 1,
        stdout: '',
        stderr: [
          `${file}:12: teams[0].services[0].password: \${UNSET_PASSWORD_VAR} is not set in the environment`,
          `${file}:2: checks.retires: is not a field here (a typo?)`,
          `${file}:12: teams[0].services[0].port: must be 0–65535 (or a {{team.…}} placeholder), got 70000`,
          '',
        ].join('\n'),
      });
      const fixed = writeEvent(
        'bad2.yaml',
        readFileSync(file, 'utf8')
          .replace('retires', 'retries')
          .replace('port: 70000, password: "${UNSET_PASSWORD_VAR}"', 'port: 3306'),
      );
      expect((await cli(['apply', '-f', fixed])).stderr).toBe(
        `${fixed}:7: templates.std[0].url: {{team.number}} is not known for teams[0] (known: {{team.name}}, {{team.index}})\n`,
      );
      expect(await snapshot()).toBe(before);
    },
    SLOW,
  );

  it(
    "points the server's refusal at the template line and team it came from; nothing changes",
    async () => {
      const before = await snapshot();
      // Valid as written; too long once a 256-character team name fills its placeholders.
      const long = 'x'.repeat(256);
      const file = writeEvent(
        'long.yaml',
        [
          'name: Long',
          'templates:',
          '  std:',
          '    - name: web',
          '      subtype: HTTP',
          `      url: "${'{{team.name}}'.repeat(17)}"`,
          'teams:',
          '  - { name: ok, use: [std] }',
          `  - { name: ${long}, use: [std] }`,
          '',
        ].join('\n'),
      );
      expect(await cli(['apply', '-f', file])).toEqual({
        code: 1,
        stdout: '',
        stderr: `${file}:6: templates.std[0].url (for teams[1]): must be at most 4096 characters, got 4352\n`,
      });
      const dup = writeEvent(
        'dup.yaml',
        'name: Dup\nteams:\n  - name: A\n  - name: B\n  - name: A\n',
      );
      expect((await cli(['apply', '-f', dup])).stderr).toBe(
        `${dup}:5: teams[2].name: another team is named "A"\n`,
      );
      expect(await snapshot()).toBe(before);
    },
    SLOW,
  );

  it(
    'prints the scoreboard as a table a spectator may read, or JSON',
    async () => {
      // One round (the scheduler's row), Team 01's www up in it and Team 02's down.
      await sql.query(`INSERT INTO round VALUES ('2026-01-01T00:00:00Z')`);
      await sql.query(
        `INSERT INTO score (service_id, result, submitted_result, capped)
         SELECT s.id, CASE t.name WHEN 'Team 01' THEN 1 ELSE 0 END, 0, false
         FROM service s JOIN team t ON t.id = s.team_id
         WHERE s.name = 'www' AND t.name IN ('Team 01', 'Team 02')`,
      );
      const table = await cli(['scoreboard', '--rounds', '1', '--services'], '');
      expect(table.code).toBe(0);
      const lines = table.stdout.split('\n');
      expect(lines[0]).toBe('1 round, latest 2026-01-01T00:00:00.000Z');
      expect(lines[1]).toMatch(/^rank {2}team +points +sla +uptime +r1$/);
      expect(lines[2]).toMatch(/^ {3}1 {2}Team 01 +100 +100\.0% +100$/);
      // The public sees the public services (www, shop, dns), not ssh or the rest.
      expect(lines.slice(3, 6)).toEqual([
        '      -       dns (DNS): 0 points, 0.0% up of 0 rounds',
        '      -       shop (HTTPS): 0 points, 0.0% up of 0 rounds',
        '      up      www (HTTP): 100 points, 100.0% up of 1 rounds',
      ]);
      expect(table.stdout).toMatch(/^ {3}2 {2}Team 02 +0 +0\.0% +0$/m);
      expect(table.stdout).not.toContain(' ssh ');
      const json = JSON.parse((await cli(['scoreboard', '--json'], '')).stdout) as {
        rounds: number;
        teams: { teamName: string; points: number }[];
      };
      expect(json.rounds).toBe(1);
      expect(json.teams[0]).toMatchObject({ teamName: 'Team 01', points: 100 });
    },
    SLOW,
  );

  it(
    'adjusts points and flips a result on the record; the audit log says who, what and why',
    async () => {
      const { rows } = await sql.query(
        `SELECT t.id AS team, s.id AS service FROM team t JOIN service s ON s.team_id = t.id
         WHERE t.name = 'Team 02' AND s.name = 'www'`,
      );
      const { team, service } = rows[0] as { team: number; service: number };
      expect(
        await cli(['adjust', '--team', String(team), '--points', '25', '--reason', 'inject 1']),
      ).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/^adjusted team \d+ by \+25 points \(audit \d+\)\n$/),
      });
      const flipped = await cli([
        'flip',
        '--service',
        String(service),
        '--round',
        '2026-01-01T00:00:00Z',
        '--reason',
        'checker bug',
      ]);
      expect(flipped.stdout).toMatch(
        /^service \d+ in round 2026-01-01T00:00:00\.000Z now counts up \(100 points; audit \d+\)\n$/,
      );
      const board = await cli(['scoreboard'], '');
      expect(board.stdout).toMatch(/^ {3}1 {2}Team 02 +125 /m);
      expect(board.stdout).toContain('      adjusted +25: inject 1 (audit ');
      const audit = await cli(['audit', '--limit', '2']);
      const lines = audit.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(
        new RegExp(
          `^\\d+  \\S+  bootstrap admin \\(token 1\\)  flip_check_result  service ${service} \\(Team 02/www\\) in round 2026-01-01T00:00:00.000Z: checker bug$`,
        ),
      );
      expect(lines[1]).toBe('    before {"up":false,"points":0}');
      expect(lines[2]).toBe('    after  {"up":true,"points":100}');
      expect(lines[3]).toMatch(/ adjust_points {2}team \d+ \(Team 02\): inject 1$/);
      expect(
        (await cli(['adjust', '--team', String(team), '--points', 'ten', '--reason', 'x'])).stderr,
      ).toBe('usage: --points must be a whole number, got "ten"\n');
    },
    SLOW,
  );

  it(
    're-scores a round named by its number, and refuses a round it cannot find in words',
    async () => {
      const done = await cli(['rescore', '--round', '1', '--reason', 'points corrected']);
      expect(done).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(
          /^round 2026-01-01T00:00:00\.000Z counted again: 2 services \(audit \d+\); no team's points in it changed\n$/,
        ),
      });
      expect((await cli(['audit', '--limit', '1'])).stdout).toMatch(
        / {2}rescore_round {2}round 2026-01-01T00:00:00\.000Z: points corrected\n/,
      );
      expect(await cli(['rescore', '--round', '99', '--reason', 'x'])).toMatchObject({
        code: 1,
        stderr:
          'checkwire: no round 99 among the last 100 (r1–r1); give an older one by its start time\n',
      });
      expect(await cli(['rescore', '--round', 'yesterday', '--reason', 'x'])).toMatchObject({
        code: 2,
        stderr: `usage: --round must be a round's number or its start time (ISO 8601), got "yesterday"\n`,
      });
      expect((await cli(['rescore', '--round', '1'])).stderr).toBe('usage: --reason is required\n');
    },
    SLOW,
  );

  it(
    'is for the white team only: another role is refused and learns nothing',
    async () => {
      const { rows } = await sql.query(`SELECT id FROM team WHERE name = 'Team 01'`);
      const created = await cli([
        'tokens',
        'create',
        '--name',
        'blue-1',
        '--role',
        'blue',
        '--team',
        String(rows[0].id),
      ]);
      expect(created.stderr).toBe('');
      const blue = /secret \(shown once, store it now\): (\S+)/.exec(created.stdout)![1]!;
      expect(await cli(['export'], blue)).toEqual({
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(
          /^checkwire: PERMISSION_DENIED: .* may not .*ExportCompetition/,
        ),
      });
      const applied = await cli(['apply', '-f', EXAMPLE, '--dry-run'], blue);
      expect(applied.code).toBe(1);
      expect(applied.stderr).toMatch(/^checkwire: PERMISSION_DENIED: /);
    },
    SLOW,
  );

  it(
    "takes a blue team's password change for the white team to approve",
    async () => {
      const { rows } = await sql.query(
        `SELECT t.id AS team, s.id AS service FROM team t JOIN service s ON s.team_id = t.id
         WHERE t.name = 'Team 03' AND s.name = 'db'`,
      );
      const { team, service } = rows[0] as { team: number; service: number };
      const created = await cli([
        'tokens',
        'create',
        '--name',
        'blue-3',
        '--role',
        'blue',
        '--team',
        String(team),
      ]);
      const blue = /secret \(shown once, store it now\): (\S+)/.exec(created.stdout)![1]!;
      const requested = await cli(
        ['pcr', 'request', '--service', String(service), '--password', 'Db-9!'],
        blue,
      );
      expect(requested.stdout).toMatch(
        new RegExp(
          `^(\\d+) {2}pending {2}service ${service} \\(team ${team}\\) {2}user scorer {2}requested \\S+\\n$`,
        ),
      );
      const pcrId = /^(\d+)/.exec(requested.stdout)![1]!;
      expect((await cli(['pcr', 'list', '--state', 'pending'])).stdout).toContain(
        `${pcrId}  pending  service ${service}`,
      );
      expect((await cli(['pcr', 'approve', pcrId])).stdout).toMatch(
        new RegExp(`^${pcrId} {2}applied .*: approved\\n$`),
      );
      const now = await sql.query('SELECT password FROM service WHERE id = $1', [service]);
      expect(now.rows[0]).toEqual({ password: 'Db-9!' });
      expect((await cli(['pcr', 'reject', pcrId], admin)).stderr).toBe(
        'checkwire: INVALID_ARGUMENT: reason: must not be empty\n',
      );
      // The event's file still holds the old password: applying it again keeps the team's.
      const reapplied = await cli(['apply', '-f', EXAMPLE]);
      expect(reapplied.stdout).toContain(
        `  ~ Team 03/db: username and password kept (password change request ${pcrId})\n`,
      );
      expect(
        (await sql.query('SELECT password FROM service WHERE id = $1', [service])).rows,
      ).toEqual([{ password: 'Db-9!' }]);
    },
    SLOW,
  );

  it(
    'exports every score with its round (CSV or JSON, to a file) and the scoreboard as CSV with its adjustments',
    async () => {
      const { rows } = await sql.query('SELECT count(*)::int AS n FROM score');
      const csv = await cli(['scores']);
      const lines = csv.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(
        'score_id,team,service,service_id,round_time,result,submitted_result,capped,error_msg,request_id,created_at',
      );
      expect(lines).toHaveLength(rows[0].n + 1);
      // Each with its round; the one written before any round (Team 02's ftp) with none.
      const inRound = await sql.query(
        'SELECT count(*)::int AS n FROM score WHERE round_at IS NOT NULL',
      );
      expect(lines.filter((l) => l.includes(',2026-01-01T00:00:00.000Z,'))).toHaveLength(
        inRound.rows[0].n,
      );
      expect(lines.filter((l) => /,Team 02,ftp,\d+,,/.test(l))).toHaveLength(1);
      const file = join(dir, 'scores.json');
      expect((await cli(['scores', '--format', 'json', '-o', file])).stdout).toBe(
        `wrote ${file}: ${rows[0].n} scores\n`,
      );
      const records = JSON.parse(readFileSync(file, 'utf8')) as {
        team: string;
        round_time: string;
      }[];
      expect(records).toHaveLength(rows[0].n);
      expect(records.find((r) => r.team === 'Team 02')?.round_time).toBe(
        '2026-01-01T00:00:00.000Z',
      );

      const board = (await cli(['scoreboard', '--csv'], '')).stdout.split('\n');
      expect(board[0]).toBe('rank,team_id,team,points,adjustment_points,penalty_points,uptime');
      expect(board[1]).toMatch(/^1,\d+,Team 02,125,25,0,1\.0000$/);
      const at = board.indexOf('adjustment_id,team_id,team,points,reason,audit_id,time');
      expect(board[at + 1]).toMatch(/^\d+,\d+,Team 02,25,inject 1,\d+,2026-/);
    },
    SLOW,
  );
  it(
    'watches the scoreboard: a new board as soon as a round is scored',
    async () => {
      const watch = startCli(['scoreboard', '--watch', '--json'], {
        CHECKWIRE_ADDRESS: app.address,
        CHECKWIRE_TOKEN: '',
      });
      try {
        const first = JSON.parse(await watch.nextLine()) as { rounds: number };
        await sql.query(`INSERT INTO round VALUES ('2026-01-01T00:01:00Z')`);
        await sql.query(
          `INSERT INTO score (service_id, result, submitted_result, capped)
           SELECT s.id, 1, 1, false FROM service s JOIN team t ON t.id = s.team_id
           WHERE s.name = 'www' AND t.name = 'Team 03'`,
        );
        // A score written in SQL announces nothing: the stream's periodic refresh finds it.
        let next = JSON.parse(await watch.nextLine()) as { rounds: number };
        while (next.rounds === first.rounds) next = JSON.parse(await watch.nextLine());
        expect(next.rounds).toBe(first.rounds + 1);
      } finally {
        await watch.stop();
      }
    },
    SLOW,
  );

  it(
    'places services in runner pools from a placeholder, exports them, and refuses a pool name no runner could have',
    async () => {
      const file = writeEvent(
        'pools.yaml',
        [
          'name: Pools',
          'templates:',
          '  std:',
          "    - { name: dc, subtype: LDAP, url: '10.{{team.index}}.0.5', runner_pool: 'team-{{team.index}}' }",
          '    - { name: web, subtype: HTTP, url: http://10.0.0.80/, runner_pool: default }',
          'teams:',
          '  - { name: Team 01, use: [std] }',
          '  - { name: Team 02, use: [std] }',
          '',
        ].join('\n'),
      );
      const applied = await cli(['apply', '-f', file]);
      expect(applied.code).toBe(0);
      const pools = await sql.query(
        `SELECT t.name AS team, s.name, s.runner_pool FROM service s JOIN team t ON t.id = s.team_id
         WHERE t.name IN ('Team 01', 'Team 02') AND s.disabled_at IS NULL ORDER BY t.name, s.name`,
      );
      expect(pools.rows).toEqual([
        { team: 'Team 01', name: 'dc', runner_pool: 'team-1' },
        { team: 'Team 01', name: 'web', runner_pool: '' },
        { team: 'Team 02', name: 'dc', runner_pool: 'team-2' },
        { team: 'Team 02', name: 'web', runner_pool: '' },
      ]);
      const exported = join(dir, 'pools-exported.yaml');
      expect((await cli(['export', '-o', exported])).code).toBe(0);
      const text = readFileSync(exported, 'utf8');
      expect(text).toContain('runner_pool: team-2');
      // The default pool is not written out: a service without runner_pool is in it.
      expect(text.match(/runner_pool:/g)).toHaveLength(2);
      expect((await cli(['apply', '-f', exported])).stdout).toMatch(/nothing to change/);

      const before = await snapshot();
      const bad = writeEvent(
        'pools-bad.yaml',
        readFileSync(file, 'utf8').replace("'team-{{team.index}}'", "'team {{team.index}}'"),
      );
      const refused = await cli(['apply', '-f', bad]);
      expect(refused.code).toBe(1);
      // The server's refusal, pointed at the template line the service came from.
      expect(refused.stderr).toBe(
        `${bad}:4: templates.std[0].runner_pool (for teams[0]): must be empty or "default" (the default pool), or 1–64 letters, digits, '.', '_' or '-', got "team 1"\n`,
      );
      expect(await snapshot()).toBe(before);

      const moved = writeEvent(
        'pools-moved.yaml',
        readFileSync(file, 'utf8').replace("'team-{{team.index}}'", 'default'),
      );
      expect((await cli(['apply', '-f', moved, '--dry-run'])).stdout).toContain(
        '  ~ service Team 01/dc: runner_pool: "team-1" → default\n',
      );
    },
    SLOW,
  );
  it(
    "gives services check settings with placeholders, exports them in the file's spelling, and refuses a pattern RE2 rejects",
    async () => {
      const file = writeEvent(
        'check-settings.yaml',
        [
          'name: Check settings',
          'templates:',
          '  std:',
          '    - name: www',
          '      subtype: HTTP',
          "      url: 'http://10.{{team.index}}.0.80/'",
          '      score_cap: 10',
          '      check_settings:',
          '        expect:',
          "          - { contains: 'Team {{team.index}}' }",
          "          - { regex: 'build [0-9]+' }",
          '        reject: [{ contains: defaced }]',
          '        partial: true',
          '        http:',
          '          status: [200]',
          '          headers: [{ name: Server, contains: nginx }]',
          '          max_redirects: 2',
          '          login: { url: /login, username_field: user, password_field: pass, fields: { next: / } }',
          '    - { name: ns, subtype: DNS, url: 10.0.0.53, check_settings: { dns: { record_type: MX } } }',
          'teams:',
          '  - { name: Team 01, use: [std] }',
          '  - { name: Team 02, use: [std] }',
          '',
        ].join('\n'),
      );
      const applied = await cli(['apply', '-f', file]);
      expect(applied.stderr).toBe('');
      expect(applied.code).toBe(0);
      const stored = await sql.query(
        `SELECT t.name AS team, s.name, s.check_settings FROM service s JOIN team t ON t.id = s.team_id
         WHERE t.name IN ('Team 01', 'Team 02') AND s.disabled_at IS NULL ORDER BY t.name, s.name`,
      );
      expect(stored.rows.map((r: { team: string; name: string }) => `${r.team}/${r.name}`)).toEqual(
        ['Team 01/ns', 'Team 01/www', 'Team 02/ns', 'Team 02/www'],
      );
      const www2 = stored.rows[3] as { check_settings: { expect: unknown[]; http: unknown } };
      expect(www2.check_settings.expect).toEqual([
        { contains: 'Team 2' },
        { regex: 'build [0-9]+' },
      ]);
      expect(www2.check_settings.http).toMatchObject({
        status: [200],
        headers: [{ name: 'server', rule: { contains: 'nginx' } }],
        maxRedirects: 2,
        login: { url: '/login', usernameField: 'user', passwordField: 'pass' },
      });
      const exported = join(dir, 'check-settings-exported.yaml');
      expect((await cli(['export', '-o', exported])).code).toBe(0);
      const text = readFileSync(exported, 'utf8');
      expect(text).toContain('record_type: MX');
      expect(text).toContain('contains: Team 2');
      expect((await cli(['apply', '-f', exported])).stdout).toMatch(/nothing to change/);

      const before = await snapshot();
      const bad = writeEvent(
        'check-settings-bad.yaml',
        readFileSync(file, 'utf8').replace("'build [0-9]+'", "'(build)\\1'"),
      );
      const refused = await cli(['apply', '-f', bad]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /templates\.std\[0\]\.check_settings\.expect\[1\]\.regex \(for teams\[0\]\): is not a pattern RE2 accepts \(no backreferences or lookaround\): /,
      );
      expect(await snapshot()).toBe(before);

      const changed = writeEvent(
        'check-settings-changed.yaml',
        readFileSync(file, 'utf8').replace('status: [200]', 'status: [200, 302]'),
      );
      expect((await cli(['apply', '-f', changed, '--dry-run'])).stdout).toContain(
        '  ~ service Team 01/www: check_settings: expect 2 rules, reject 1 rule, partial, http status 200, 1 header rule, up to 2 redirects, form login at /login → expect 2 rules, reject 1 rule, partial, http status 200/302, 1 header rule, up to 2 redirects, form login at /login\n',
      );
    },
    SLOW,
  );
});
