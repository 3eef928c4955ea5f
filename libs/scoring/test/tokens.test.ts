import { createHash } from 'node:crypto';
import { Metadata, status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '@checkwire/proto';
import { createTestDatabase } from '@checkwire/testing';
import { ScoringApp } from '../src/index.js';
import { connect, grpcError, serviceDraft, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const runner = { name: 'runner-1', role: Role.ROLE_CHECK_RUNNER, subtypes: [], serviceIds: [] };

describe('TokenService', () => {
  it('shows a secret once, stores only its SHA-256, and lists tokens without secrets', async () => {
    const { token, secret } = await h.tokens.createToken(runner);
    expect(secret).toMatch(/^cw_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: 'runner-1', role: Role.ROLE_CHECK_RUNNER });
    expect(token!.prefix).toBe(secret.slice(0, 8));

    const { rows } = await h.sql.query('SELECT * FROM api_token WHERE id = $1', [token!.id]);
    expect(rows[0].secret_sha256).toEqual(createHash('sha256').update(secret).digest());
    expect(JSON.stringify(rows)).not.toContain(secret.slice(8));

    const { tokens } = await h.tokens.listTokens({ includeRevoked: false });
    expect(tokens.map((t) => t.id)).toContain(token!.id);
    expect(JSON.stringify(tokens)).not.toContain(secret.slice(8));

    const me = await connect(h.app.address, secret).tokens.whoAmI({});
    expect(me).toMatchObject({ role: Role.ROLE_CHECK_RUNNER, token: { id: token!.id } });
    expect(await connect(h.app.address).tokens.whoAmI({})).toEqual({
      role: Role.ROLE_PUBLIC,
      token: undefined,
    });
  });

  it('revokes: the token stops working at once on this server', async () => {
    const { token, secret } = await h.tokens.createToken(runner);
    const holder = connect(h.app.address, secret);
    await holder.tokens.whoAmI({}); // now cached
    const { token: revoked } = await h.tokens.revokeToken({ id: token!.id });
    expect(revoked!.revokeTime).toBeInstanceOf(Date);
    expect(await grpcError(holder.tokens.whoAmI({}))).toEqual({
      code: status.UNAUTHENTICATED,
      details: 'unknown or revoked token',
    });
    const live = await h.tokens.listTokens({ includeRevoked: false });
    expect(live.tokens.map((t) => t.id)).not.toContain(token!.id);
    const all = await h.tokens.listTokens({ includeRevoked: true });
    expect(all.tokens.map((t) => t.id)).toContain(token!.id);
    expect(await grpcError(h.tokens.revokeToken({ id: 987654 }))).toEqual({
      code: status.NOT_FOUND,
      details: 'token 987654 not found',
    });
    holder.close();
  });

  it("ends a revoked token's status stream at its next event", async () => {
    const { token, secret } = await h.tokens.createToken({ ...runner, role: Role.ROLE_RED });
    const { team } = await h.admin.createTeam({ name: 'watched' });
    const { service } = await h.admin.createService({
      service: serviceDraft(team!.id, { redVisibility: true }),
    });
    const holder = connect(h.app.address, secret);
    const events: string[] = [];
    const watching = (async () => {
      for await (const e of holder.status.watchServiceStatus({}, { deadlineMs: 20_000 })) {
        events.push(e.event!.$case);
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    await h.tokens.revokeToken({ id: token!.id });
    await new Promise((r) => setTimeout(r, 1100));
    await h.scoring.insertServiceScore({ serviceId: service!.id, result: 1 });
    expect(await grpcError(watching)).toEqual({
      code: status.UNAUTHENTICATED,
      details: 'unknown or revoked token',
    });
    expect(events).toContain('snapshotComplete');
    holder.close();
  });

  it('revokes on every replica once their cache lapses', async () => {
    const replica = await ScoringApp.start({ databaseUrl: h.database.url, tokenCacheTtlMs: 100 });
    const { token, secret } = await h.tokens.createToken(runner);
    const elsewhere = connect(replica.address, secret);
    try {
      await elsewhere.tokens.whoAmI({});
      await h.tokens.revokeToken({ id: token!.id });
      await new Promise((r) => setTimeout(r, 150));
      expect((await grpcError(elsewhere.tokens.whoAmI({}))).code).toBe(status.UNAUTHENTICATED);
    } finally {
      elsewhere.close();
      await replica.stop();
    }
  });

  it.each([
    ['Basic dXNlcjpwdw==', "authorization metadata must be 'Bearer <token>'"],
    ['Bearer', "authorization metadata must be 'Bearer <token>'"],
    ['Bearer not-a-token', 'the bearer token is not a Checkwire token (cw_…)'],
    [`Bearer cw_${'A'.repeat(43)}`, 'unknown or revoked token'],
  ])('refuses authorization %j with UNAUTHENTICATED', async (header, details) => {
    const anonymous = connect(h.app.address);
    const metadata = new Metadata();
    metadata.set('authorization', header);
    expect(await grpcError(anonymous.status.listServiceStatus({}, { metadata }))).toEqual({
      code: status.UNAUTHENTICATED,
      details,
    });
    anonymous.close();
  });

  it.each([
    [
      { ...runner, role: Role.ROLE_UNSPECIFIED },
      'role: must be ROLE_ADMIN, ROLE_CHECK_RUNNER, ROLE_BLUE, ROLE_RED, ROLE_GREEN, ROLE_LC_GATEWAY or ROLE_SCHEDULER, got 0',
    ],
    [
      { ...runner, role: Role.ROLE_PUBLIC },
      'role: must be ROLE_ADMIN, ROLE_CHECK_RUNNER, ROLE_BLUE, ROLE_RED, ROLE_GREEN, ROLE_LC_GATEWAY or ROLE_SCHEDULER, got 6',
    ],
    [{ ...runner, role: Role.ROLE_BLUE }, 'team_id: is required for a blue team token'],
    [
      { ...runner, role: Role.ROLE_RED, teamId: 1 },
      'team_id: only a blue token has a team, not red',
    ],
    [
      { ...runner, role: Role.ROLE_GREEN, subtypes: ['dns'] },
      'subtypes: only a check_runner token is limited to subtypes or services, not green',
    ],
    [{ ...runner, serviceIds: [0] }, 'service_ids[0]: must be a positive id, got 0'],
    [{ ...runner, name: ' ' }, 'name: must not be empty'],
  ])('refuses a bad token request %#', async (request, details) => {
    const before = await h.count('api_token');
    expect(await grpcError(h.tokens.createToken(request))).toEqual({
      code: status.INVALID_ARGUMENT,
      details,
    });
    expect(await h.count('api_token')).toBe(before);
  });

  it('refuses a blue token for a team that does not exist', async () => {
    expect(
      await grpcError(h.tokens.createToken({ ...runner, role: Role.ROLE_BLUE, teamId: 424242 })),
    ).toEqual({ code: status.NOT_FOUND, details: 'team 424242 not found' });
  });
});

describe('bootstrap admin token', () => {
  it('is minted once on an empty database, even by replicas starting together', async () => {
    const database = await createTestDatabase();
    const apps = await Promise.all(
      [1, 2, 3].map(() =>
        ScoringApp.start({ databaseUrl: database.url, bootstrapAdminToken: true }),
      ),
    );
    const later = await ScoringApp.start({ databaseUrl: database.url, bootstrapAdminToken: true });
    try {
      const minted = apps.filter((a) => a.bootstrapToken !== undefined);
      expect(minted).toHaveLength(1);
      expect(later.bootstrapToken).toBeUndefined();
      const admin = connect(later.address, minted[0]!.bootstrapToken!.secret);
      expect((await admin.tokens.whoAmI({})).role).toBe(Role.ROLE_ADMIN);
      expect((await admin.tokens.listTokens({ includeRevoked: true })).tokens).toHaveLength(1);
      admin.close();
    } finally {
      await Promise.all([...apps, later].map((a) => a.stop()));
      await database.drop();
    }
  });
});
