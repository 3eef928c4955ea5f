import { setTimeout as pause } from 'node:timers/promises';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import {
  PasswordChangeMode,
  PasswordChangeServiceService,
  PasswordChangeState,
  Role,
} from '@checkwire/proto';
import { grpcError, startHarness, type Harness } from './harness.js';

// Password change requests for credential pool entries, on a real server: a blue team may change
// an entry of a pool only its own services use (another team's pool does not exist to it); the
// competition's policy applies the change to the credential row; the audit log names the pool and
// the entry, never the password.

let h: Harness;
let blueA: ReturnType<typeof pcrClient>;
let blueB: ReturnType<typeof pcrClient>;
let admin: ReturnType<typeof pcrClient>;
const team = { A: 0, B: 0 };
/** a-web: team A's only; b-web: team B's only; shared: both teams'; spare: nobody's. */
const pool = { 'a-web': 0, 'b-web': 0, shared: 0, spare: 0 };
const { PENDING, APPLIED, REJECTED } = {
  PENDING: PasswordChangeState.PASSWORD_CHANGE_STATE_PENDING,
  APPLIED: PasswordChangeState.PASSWORD_CHANGE_STATE_APPLIED,
  REJECTED: PasswordChangeState.PASSWORD_CHANGE_STATE_REJECTED,
};

const pcrClient = (token: string) =>
  createPromiseClient(PasswordChangeServiceService, h.app.address, { token });

const A_WEB = [
  { username: 'alice', password: 'a1' },
  { username: 'bob', password: 'b1' },
];

/** The competition, under a policy (applying it again keeps entries password changes set). */
async function competition(
  mode: PasswordChangeMode,
  delaySeconds = 0,
  teamAServices = ['web', 'db'],
): Promise<void> {
  const service = (name: string, credentialPool: string) => ({
    name,
    subtype: 'SSH',
    url: '10.0.0.1',
    port: 22,
    credentialPool,
  });
  await h.competitions.applyCompetition({
    competition: {
      name: 'Pool PCR Cup',
      passwordChanges: { mode, delaySeconds },
      credentialPools: [
        { name: 'a-web', credentials: A_WEB },
        { name: 'b-web', credentials: [{ username: 'carol', password: 'c1' }] },
        { name: 'shared', credentials: [{ username: 'svc', password: 's1' }] },
        { name: 'spare', credentials: [{ username: 'spare', password: 'x1' }] },
      ],
      teams: [
        {
          name: 'A',
          services: [service('web', 'a-web'), service('db', 'shared')].filter((s) =>
            teamAServices.includes(s.name),
          ),
        },
        { name: 'B', services: [service('web', 'b-web'), service('db', 'shared')] },
      ],
    },
  });
}

/** The pool's credential rows, in order, as the checks read them. */
async function entries(poolId: number): Promise<string[][]> {
  const { rows } = await h.sql.query<{ username: string; password: string }>(
    'SELECT username, password FROM credential WHERE pool_id = $1 ORDER BY position',
    [poolId],
  );
  return rows.map((r) => [r.username, r.password]);
}

/** Reads until `done` holds (at most ~10 s), then returns the last read for the test to assert. */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await read();
    if (done(v) || i >= 400) return v;
    await pause(25);
  }
}

beforeAll(async () => {
  h = await startHarness({ passwordChangeIntervalMs: 50 });
  await competition(PasswordChangeMode.PASSWORD_CHANGE_MODE_IMMEDIATE);
  const { teams } = await h.admin.listTeams({});
  for (const name of ['A', 'B'] as const) team[name] = teams.find((t) => t.name === name)!.id;
  const { credentialPools } = await h.admin.listCredentialPools({});
  for (const name of Object.keys(pool) as (keyof typeof pool)[]) {
    pool[name] = credentialPools.find((p) => p.name === name)!.id;
  }
  const blue = async (name: 'A' | 'B') =>
    pcrClient(
      (
        await h.tokens.createToken({
          name: `blue ${name}`,
          role: Role.ROLE_BLUE,
          teamId: team[name],
        })
      ).secret,
    );
  blueA = await blue('A');
  blueB = await blue('B');
  admin = pcrClient(h.adminToken);
});
afterAll(async () => {
  for (const c of [blueA, blueB, admin]) c?.close();
  await h?.stop();
});

describe('password change requests for credential pool entries', () => {
  it("immediate: a blue team changes its own pool's entry; the audit log names the pool and the entry, not the password", async () => {
    const { passwordChange } = await blueA.requestPasswordChange({
      credentialPoolId: pool['a-web'],
      username: 'alice',
      password: 'n3w-alice',
    });
    expect(passwordChange).toMatchObject({
      state: APPLIED,
      serviceId: 0,
      teamId: team.A,
      credentialPoolId: pool['a-web'],
      credentialPoolName: 'a-web',
      username: 'alice',
      password: '',
      decisionReason: 'applied at once (policy: immediate)',
    });
    // Only that entry's password changed; what the runners read (GetCredentialPool) has it.
    expect(await entries(pool['a-web'])).toEqual([
      ['alice', 'n3w-alice'],
      ['bob', 'b1'],
    ]);
    const { credentialPool } = await h.admin.getCredentialPool({ id: pool['a-web'] });
    expect(credentialPool!.credentials).toContainEqual({
      username: 'alice',
      password: 'n3w-alice',
    });

    const log = await h.adjustments.listAuditLog({ pageSize: 2 });
    const subject = `credential pool ${pool['a-web']} (a-web) entry "alice"`;
    expect(log.entries.map((e) => [e.action, e.subject])).toEqual([
      ['apply_password_change', subject],
      ['request_password_change', subject],
    ]);
    expect(JSON.stringify(log.entries)).not.toContain('n3w-alice');

    // Team A lists it (without the password); team B does not see it.
    const [mine] = (await blueA.listPasswordChanges({})).passwordChanges;
    expect(mine).toMatchObject({
      id: passwordChange!.id,
      credentialPoolName: 'a-web',
      password: '',
    });
    const theirs = (await blueB.listPasswordChanges({})).passwordChanges;
    expect(theirs.map((c) => c.id)).not.toContain(passwordChange!.id);
    // The white team sees the password.
    const all = (await admin.listPasswordChanges({})).passwordChanges;
    expect(all.find((c) => c.id === passwordChange!.id)!.password).toBe('n3w-alice');
  });

  it('refuses, writing nothing: another team’s pool or one no service of the team uses is NOT_FOUND, a shared pool FAILED_PRECONDITION, bad combinations INVALID_ARGUMENT naming the field', async () => {
    const before = [await h.count('password_change'), await h.count('audit_log')];
    const refused = (req: Parameters<typeof blueA.requestPasswordChange>[0]) =>
      grpcError(blueA.requestPasswordChange(req));
    const password = 'x';

    for (const id of [pool['b-web'], pool.spare, 987_654]) {
      expect(await refused({ credentialPoolId: id, username: 'carol', password })).toEqual({
        code: status.NOT_FOUND,
        details: `credential pool ${id} not found`,
      });
    }
    expect(await refused({ credentialPoolId: pool.shared, username: 'svc', password })).toEqual({
      code: status.FAILED_PRECONDITION,
      details: `credential pool ${pool.shared} is also used by another team's services; only the white team can change its entries`,
    });
    expect(
      await refused({ serviceId: 1, credentialPoolId: pool['a-web'], username: 'alice', password }),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details:
        "credential_pool_id: must be 0 when service_id is set: a request changes a service's own credentials or a credential pool entry's password, not both",
    });
    expect(await refused({ username: 'alice', password })).toEqual({
      code: status.INVALID_ARGUMENT,
      details:
        "service_id: set service_id (a service's own credentials) or credential_pool_id (an entry of a credential pool), got neither",
    });
    expect(await refused({ credentialPoolId: -3, username: 'alice', password })).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'credential_pool_id: must be a positive id, got -3',
    });
    expect(await refused({ credentialPoolId: pool['a-web'], password })).toEqual({
      code: status.INVALID_ARGUMENT,
      details:
        'username: required with credential_pool_id: it names the pool entry whose password changes',
    });
    expect(
      await refused({ credentialPoolId: pool['a-web'], username: 'mallory', password }),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details: `username: credential pool ${pool['a-web']} (a-web) entry "mallory" does not exist; name one of the pool's usernames (a request changes an entry's password, it does not add an entry)`,
    });
    expect(await refused({ credentialPoolId: pool['a-web'], username: 'alice' })).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'password: must not be empty',
    });
    expect([await h.count('password_change'), await h.count('audit_log')]).toEqual(before);
  });

  it("admin changes any pool's entry; the request is the team's whose services use the pool, or no team's", async () => {
    const request = async (name: keyof typeof pool, username: string) =>
      (await admin.requestPasswordChange({ credentialPoolId: pool[name], username, password: 'w' }))
        .passwordChange!;
    expect(await request('shared', 'svc')).toMatchObject({ state: APPLIED, teamId: 0 });
    expect(await request('spare', 'spare')).toMatchObject({ state: APPLIED, teamId: 0 });
    const forB = await request('b-web', 'carol');
    expect(forB).toMatchObject({ state: APPLIED, teamId: team.B, password: 'w' });
    expect(await entries(pool.shared)).toEqual([['svc', 'w']]);
    expect(await entries(pool.spare)).toEqual([['spare', 'w']]);
    expect(await entries(pool['b-web'])).toEqual([['carol', 'w']]);
    // Team B sees the white team's change of its pool; no team sees the shared or spare pool's.
    expect((await blueB.listPasswordChanges({})).passwordChanges.map((c) => c.id)).toEqual([
      forB.id,
    ]);
  });

  it('approval: pending until the white team approves; an entry replaced meanwhile cannot be approved, only rejected', async () => {
    // The white team puts the file's credentials back by hand: re-applying the file alone keeps
    // what the earlier requests set (see held-credentials.test.ts).
    await h.admin.updateCredentialPool({
      id: pool['a-web'],
      name: '',
      credentials: A_WEB,
      updateMask: ['credentials'],
    });
    await competition(PasswordChangeMode.PASSWORD_CHANGE_MODE_APPROVAL);
    expect(await entries(pool['a-web'])).toEqual(A_WEB.map((c) => [c.username, c.password]));
    const bob = (
      await blueA.requestPasswordChange({
        credentialPoolId: pool['a-web'],
        username: 'bob',
        password: 'n3w-bob',
      })
    ).passwordChange!;
    expect(bob).toMatchObject({ state: PENDING, credentialPoolName: 'a-web' });
    expect(await entries(pool['a-web'])).toEqual([
      ['alice', 'a1'],
      ['bob', 'b1'],
    ]);
    const approved = await admin.decidePasswordChange({ id: bob.id, approve: true });
    expect(approved.passwordChange).toMatchObject({
      state: APPLIED,
      credentialPoolId: pool['a-web'],
      password: 'n3w-bob',
    });
    expect(await entries(pool['a-web'])).toEqual([
      ['alice', 'a1'],
      ['bob', 'n3w-bob'],
    ]);

    const alice = (
      await blueA.requestPasswordChange({
        credentialPoolId: pool['a-web'],
        username: 'alice',
        password: 'too-late',
      })
    ).passwordChange!;
    await h.admin.updateCredentialPool({
      id: pool['a-web'],
      name: '',
      credentials: [{ username: 'dave', password: 'd1' }],
      updateMask: ['credentials'],
    });
    expect(await grpcError(admin.decidePasswordChange({ id: alice.id, approve: true }))).toEqual({
      code: status.FAILED_PRECONDITION,
      details: `password change ${alice.id}: credential pool ${pool['a-web']} (a-web) entry "alice" no longer exists (the pool's credentials were replaced since the request); reject it`,
    });
    const rejected = await admin.decidePasswordChange({
      id: alice.id,
      approve: false,
      reason: 'alice is gone',
    });
    expect(rejected.passwordChange).toMatchObject({ state: REJECTED });
    expect(await entries(pool['a-web'])).toEqual([['dave', 'd1']]);
    const log = await h.adjustments.listAuditLog({ pageSize: 1 });
    expect(log.entries[0]).toMatchObject({
      action: 'reject_password_change',
      subject: `credential pool ${pool['a-web']} (a-web) entry "alice"`,
      reason: 'alice is gone',
    });
  });

  it('delay: the sweeper applies a pool request once its delay ran out, and rejects one whose entry is gone', async () => {
    // A delay no test outlasts: the delay "runs out" when the test says so (below), however slow
    // the machine is between the requests and the pool's change.
    await competition(PasswordChangeMode.PASSWORD_CHANGE_MODE_DELAY, 3600);
    const request = async (username: string, password: string) =>
      (
        await blueA.requestPasswordChange({
          credentialPoolId: pool['a-web'],
          username,
          password,
        })
      ).passwordChange!;
    const alice = await request('alice', 'later-alice');
    const bob = await request('bob', 'later-bob');
    expect([alice.state, bob.state]).toEqual([PENDING, PENDING]);
    // Bob leaves the pool before the delay runs out.
    await h.admin.updateCredentialPool({
      id: pool['a-web'],
      name: '',
      credentials: [A_WEB[0]!],
      updateMask: ['credentials'],
    });
    await h.sql.query(
      `UPDATE password_change SET apply_after = now() - interval '1 second' WHERE id = ANY($1)`,
      [[alice.id, bob.id]],
    );

    const settled = await until(
      async () => (await blueA.listPasswordChanges({})).passwordChanges,
      (list) => list.every((c) => c.state !== PENDING),
    );
    const byId = new Map(settled.map((c) => [c.id, c]));
    expect(byId.get(alice.id)).toMatchObject({
      state: APPLIED,
      decisionReason: 'applied after the delay (policy: delay)',
    });
    expect(byId.get(bob.id)).toMatchObject({
      state: REJECTED,
      decisionReason: `credential pool ${pool['a-web']} (a-web) entry "bob" no longer exists (the pool's credentials were replaced since the request)`,
    });
    expect(await entries(pool['a-web'])).toEqual([['alice', 'later-alice']]);
    const log = await h.adjustments.listAuditLog({ pageSize: 20 });
    expect(JSON.stringify(log.entries)).not.toContain('later-');
  });

  it("a pool only the team's services out of the competition use is not checked: FAILED_PRECONDITION", async () => {
    await competition(PasswordChangeMode.PASSWORD_CHANGE_MODE_IMMEDIATE, 0, ['db']);
    expect(
      await grpcError(
        blueA.requestPasswordChange({
          credentialPoolId: pool['a-web'],
          username: 'alice',
          password: 'x',
        }),
      ),
    ).toEqual({
      code: status.FAILED_PRECONDITION,
      details: `no service of your team in the competition uses credential pool ${pool['a-web']}; its credentials are not checked`,
    });
  });
});
