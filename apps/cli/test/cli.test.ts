import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoringApp } from '@checkwire/scoring';
import { createTestDatabase, makeTlsFixtures, type TestDatabase } from '@checkwire/testing';
import { runCli } from './run-cli.js';

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

const cli = (args: string[], token?: string, env: Record<string, string> = {}) =>
  runCli(args, { CHECKWIRE_ADDRESS: app.address, CHECKWIRE_TOKEN: token ?? '', ...env });

/** Each CLI run starts node and tsx: seconds on a busy machine. A limit, not a measurement. */
const SLOW = 120_000;

/** The header every command that prints tokens starts with. */
const HEADER = 'id    role          prefix     state    name';

describe('checkwire tokens', () => {
  it(
    'creates, lists and revokes tokens with the admin token, each printed under a header',
    async () => {
      const admin = app.bootstrapToken!.secret;
      const created = await cli(
        ['tokens', 'create', '--name', 'runner-eu', '--role', 'check_runner', '--subtype', 'dns'],
        admin,
      );
      const secret = /^secret \(shown once, store it now\): (cw_\S+)$/m.exec(created.stdout)?.[1];
      const id = /^(\d+) /m.exec(created.stdout)?.[1] ?? '';
      const row = (state: string) =>
        `${id.padEnd(5)} check_runner  ${secret?.slice(0, 8)}…  ${state} runner-eu (subtypes dns)`;
      expect(created).toEqual({
        code: 0,
        stdout: `${HEADER}\n${row('live    ')}\nsecret (shown once, store it now): ${secret}\n`,
        stderr: '',
      });

      expect(await cli(['whoami'], secret)).toEqual({
        code: 0,
        stdout: `${HEADER}\n${row('live    ')}\n`,
        stderr: '',
      });
      const listed = await cli(['tokens', 'list'], admin);
      expect(listed.stdout).toBe(
        `${HEADER}\n${row('live    ')}\n1     admin         ${admin.slice(0, 8)}…  live     bootstrap admin\n`,
      );

      expect(await cli(['tokens', 'revoke', id], admin)).toEqual({
        code: 0,
        stdout: `${HEADER}\n${row('revoked ')}\n`,
        stderr: '',
      });
      expect(await cli(['whoami'], secret)).toEqual({
        code: 1,
        stdout: '',
        stderr: 'checkwire: UNAUTHENTICATED: unknown or revoked token\n',
      });
    },
    SLOW,
  );

  it(
    'refuses a check runner limited to a service that does not exist, minting nothing',
    async () => {
      const admin = app.bootstrapToken!.secret;
      const before = await cli(['tokens', 'list', '--all'], admin);
      expect(
        await cli(
          ['tokens', 'create', '--name', 'r', '--role', 'check_runner', '--service', '999999'],
          admin,
        ),
      ).toEqual({
        code: 1,
        stdout: '',
        stderr: 'checkwire: NOT_FOUND: service_ids[0]: service 999999 not found\n',
      });
      expect(await cli(['tokens', 'list', '--all'], admin)).toEqual(before);
    },
    SLOW,
  );

  it(
    'explains refusals and usage mistakes',
    async () => {
      expect(await cli(['tokens', 'list'])).toMatchObject({
        code: 1,
        stderr:
          "checkwire: UNAUTHENTICATED: call TokenService.ListTokens needs admin: send metadata 'authorization: Bearer <token>'\n",
      });
      expect(
        await cli(
          ['tokens', 'create', '--name', 'x', '--role', 'root'],
          app.bootstrapToken!.secret,
        ),
      ).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'usage: --role must be one of admin, check_runner, blue, red, green, lc_gateway, scheduler\n',
      });
      expect(await cli(['tokens', 'list', '--bogus'])).toEqual({
        code: 2,
        stdout: '',
        stderr:
          "usage: Unknown option '--bogus' (checkwire without arguments lists every command)\n",
      });
      expect(await cli(['whoami'])).toEqual({ code: 0, stdout: 'public\n', stderr: '' });
    },
    SLOW,
  );
});

describe('over TLS', () => {
  it(
    'speaks TLS when CHECKWIRE_TLS_CA_FILE names the CA, and fails plainly without it',
    async () => {
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
    },
    SLOW,
  );
});
