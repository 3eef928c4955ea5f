import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import {
  AdminServiceService,
  CompetitionServiceService,
  Role,
  TokenServiceService,
} from '@checkwire/proto';
import { ScoringApp } from '@checkwire/scoring';
import { createTestDatabase, type TestDatabase } from '@checkwire/testing';
import { runCli } from './run-cli.js';

// `checkwire pcr` for credential pool entries against the real scoring server: a blue team asks
// by pool id, the white team lists, approves, and asks by pool name.

let database: TestDatabase;
let app: ScoringApp;
let sql: pg.Pool;
let admin: string;
let blue: string;
let teamId: number;
let poolId: number;

/** Each CLI run starts node and tsx: seconds on a busy machine. A limit, not a measurement. */
const SLOW = 180_000;

const cli = (args: string[], token = admin) =>
  runCli(args, { CHECKWIRE_ADDRESS: app.address, CHECKWIRE_TOKEN: token });

beforeAll(async () => {
  database = await createTestDatabase();
  app = await ScoringApp.start({ databaseUrl: database.url, bootstrapAdminToken: true });
  admin = app.bootstrapToken!.secret;
  sql = new pg.Pool({ connectionString: database.url, max: 1 });
  const options = { token: admin };
  const competitions = createPromiseClient(CompetitionServiceService, app.address, options);
  const adminClient = createPromiseClient(AdminServiceService, app.address, options);
  const tokens = createPromiseClient(TokenServiceService, app.address, options);
  try {
    // The default policy: approval.
    await competitions.applyCompetition({
      competition: {
        name: 'CLI pool PCRs',
        credentialPools: [
          {
            name: 'web users',
            credentials: [
              { username: 'alice', password: 'a1' },
              { username: 'bob', password: 'b1' },
            ],
          },
        ],
        teams: [
          {
            name: 'Team 01',
            services: [
              {
                name: 'www',
                subtype: 'HTTP',
                url: '10.0.1.10',
                port: 80,
                credentialPool: 'web users',
              },
            ],
          },
        ],
      },
    });
    teamId = (await adminClient.listTeams({})).teams[0]!.id;
    poolId = (await adminClient.listCredentialPools({})).credentialPools[0]!.id;
    blue = (await tokens.createToken({ name: 'blue-1', role: Role.ROLE_BLUE, teamId })).secret;
  } finally {
    for (const c of [competitions, adminClient, tokens]) c.close();
  }
});
afterAll(async () => {
  await sql?.end();
  await app?.stop();
  await database?.drop();
});

const entries = async () =>
  (
    await sql.query<{ username: string; password: string }>(
      'SELECT username, password FROM credential WHERE pool_id = $1 ORDER BY position',
      [poolId],
    )
  ).rows.map((r) => [r.username, r.password]);

describe('checkwire pcr for a credential pool entry', () => {
  it(
    'a blue team requests by pool id; the white team lists the pool and approves',
    async () => {
      const requested = await cli(
        ['pcr', 'request', '--pool', String(poolId), '--username', 'alice', '--password', 'N3w!'],
        blue,
      );
      expect(requested.stderr).toBe('');
      expect(requested.stdout).toMatch(
        new RegExp(
          `^(\\d+) {2}pending {2}pool ${poolId} "web users" \\(team ${teamId}\\) {2}user alice {2}requested \\S+\\n$`,
        ),
      );
      const id = /^(\d+)/.exec(requested.stdout)![1]!;
      expect((await cli(['pcr', 'list', '--state', 'pending'])).stdout).toContain(
        `${id}  pending  pool ${poolId} "web users" (team ${teamId})  user alice`,
      );
      expect((await cli(['pcr', 'approve', id])).stdout).toMatch(
        new RegExp(`^${id} {2}applied {2}pool ${poolId} .*: approved\\n$`),
      );
      expect(await entries()).toEqual([
        ['alice', 'N3w!'],
        ['bob', 'b1'],
      ]);
    },
    SLOW,
  );

  it(
    'the white team may name the pool; a blue token gives its id; --service and --pool do not go together',
    async () => {
      const byName = await cli([
        'pcr',
        'request',
        '--pool',
        'web users',
        '--username',
        'bob',
        '--password',
        'B0b!',
      ]);
      expect(byName.stderr).toBe('');
      expect(byName.stdout).toMatch(
        new RegExp(
          `^\\d+ {2}pending {2}pool ${poolId} "web users" \\(team ${teamId}\\) {2}user bob `,
        ),
      );
      expect(
        await cli(
          ['pcr', 'request', '--pool', 'web users', '--username', 'bob', '--password', 'x'],
          blue,
        ),
      ).toEqual({
        code: 2,
        stdout: '',
        stderr:
          "usage: --pool: this token may not look pools up by name; give the pool's id (the credential_pool_id of your services)\n",
      });
      expect(
        await cli([
          'pcr',
          'request',
          '--service',
          '1',
          '--pool',
          String(poolId),
          '--password',
          'x',
        ]),
      ).toEqual({
        code: 2,
        stdout: '',
        stderr:
          "usage: give one of --service ID (a service's own credentials) and --pool ID|NAME (a credential pool entry's password)\n",
      });
    },
    SLOW,
  );
});
