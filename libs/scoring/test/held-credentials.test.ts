import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import { PasswordChangeMode, PasswordChangeServiceService, Role } from '@checkwire/proto';
import { startHarness, type Harness } from './harness.js';

// Re-applying the competition file after a blue team's password change request was applied: the
// file still holds the old credentials, and they must not come back (the team would be locked
// out of its own service and lose its points). What the white team sets by hand since wins again.

let h: Harness;
let blue: ReturnType<typeof createPromiseClient<typeof PasswordChangeServiceService>>;
let ssh = 0;
let poolId = 0;

const event = (port = 22) => ({
  name: 'Held Cup',
  passwordChanges: { mode: PasswordChangeMode.PASSWORD_CHANGE_MODE_IMMEDIATE, delaySeconds: 0 },
  credentialPools: [{ name: 'users', credentials: [{ username: 'alice', password: 'file-a' }] }],
  teams: [
    {
      name: 'A',
      services: [
        { name: 'ssh', subtype: 'SSH', port, username: 'root', password: 'file-pass' },
        { name: 'imap', subtype: 'IMAP', port: 143, credentialPool: 'users' },
      ],
    },
  ],
});

const stored = async () => {
  const service = await h.sql.query<{ username: string; password: string; port: number }>(
    'SELECT username, password, port FROM service WHERE id = $1',
    [ssh],
  );
  const entry = await h.sql.query<{ password: string }>(
    `SELECT password FROM credential WHERE pool_id = $1 AND username = 'alice'`,
    [poolId],
  );
  return { ...service.rows[0], alice: entry.rows[0]!.password };
};

beforeAll(async () => {
  h = await startHarness();
  await h.competitions.applyCompetition({ competition: event() });
  const { teams } = await h.admin.listTeams({});
  const { services } = await h.admin.listServices({});
  ssh = services.find((s) => s.name === 'ssh')!.id;
  poolId = (await h.admin.listCredentialPools({})).credentialPools[0]!.id;
  const { secret } = await h.tokens.createToken({
    name: 'team A',
    role: Role.ROLE_BLUE,
    teamId: teams[0]!.id,
    subtypes: [],
    serviceIds: [],
  });
  blue = createPromiseClient(PasswordChangeServiceService, h.app.address, { token: secret });
  await blue.requestPasswordChange({ serviceId: ssh, username: 'admin', password: 'team-pass' });
  await blue.requestPasswordChange({
    serviceId: 0,
    credentialPoolId: poolId,
    username: 'alice',
    password: 'team-a',
  });
});
afterAll(async () => {
  blue.close();
  await h.stop();
});

describe('re-applying the competition file after password changes', () => {
  it('keeps what the requests set, says so, and changes nothing else', async () => {
    expect(await stored()).toEqual({
      username: 'admin',
      password: 'team-pass',
      port: 22,
      alice: 'team-a',
    });
    const kept = [
      `A/ssh: username and password kept (password change request 1)`,
      `credential pool users, entry "alice": password kept (password change request 2)`,
    ];
    const dry = await h.competitions.applyCompetition({ competition: event(), dryRun: true });
    expect(dry).toMatchObject({ changes: [], applied: false, kept });
    const again = await h.competitions.applyCompetition({ competition: event() });
    expect(again).toMatchObject({ changes: [], applied: false, kept });
    // A real change to the service applies; its credentials stay the team's.
    const moved = await h.competitions.applyCompetition({ competition: event(2222) });
    expect(moved.changes.map((c) => [c.name, c.details])).toEqual([['A/ssh', ['port: 22 → 2222']]]);
    expect(moved.kept).toEqual(kept);
    expect(await stored()).toEqual({
      username: 'admin',
      password: 'team-pass',
      port: 2222,
      alice: 'team-a',
    });
    // The export holds the team's credentials, so it applies back with nothing to keep.
    const { competition } = await h.competitions.exportCompetition({});
    expect(await h.competitions.applyCompetition({ competition })).toMatchObject({
      changes: [],
      kept: [],
    });
  });

  it("lets the white team's own later change win again", async () => {
    const service = (await h.admin.getService({ id: ssh })).service!;
    await h.admin.updateService({
      service: { ...service, username: 'root', password: 'white-pass' },
      updateMask: ['username', 'password'],
    });
    const applied = await h.competitions.applyCompetition({ competition: event(2222) });
    expect(applied.changes.map((c) => [c.name, c.details])).toEqual([
      ['A/ssh', ['password changed']],
    ]);
    expect(applied.kept).toEqual([
      `credential pool users, entry "alice": password kept (password change request 2)`,
    ]);
    expect(await stored()).toMatchObject({ username: 'root', password: 'file-pass' });
  });
});
