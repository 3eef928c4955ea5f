import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Service } from '@checkwire/proto';
import { grpcError, serviceDraft, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe('teams', () => {
  it('creates, renames, gets and lists teams; names are unique', async () => {
    const { team } = await h.admin.createTeam({ name: 'Blue 01' });
    expect(team).toMatchObject({ name: 'Blue 01' });
    const renamed = await h.admin.updateTeam({ id: team!.id, name: 'Blue One' });
    expect(renamed.team?.name).toBe('Blue One');
    expect((await h.admin.getTeam({ id: team!.id })).team?.name).toBe('Blue One');
    await h.admin.createTeam({ name: 'Blue 02' });
    const { teams } = await h.admin.listTeams({});
    expect(teams.map((t) => t.name)).toEqual(['Blue One', 'Blue 02']);
    expect(await grpcError(h.admin.createTeam({ name: 'Blue 02' }))).toEqual({
      code: status.ALREADY_EXISTS,
      details: 'a team named "Blue 02" already exists',
    });
    expect(await grpcError(h.admin.createTeam({ name: '' }))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'name: must not be empty',
    });
    expect(await grpcError(h.admin.getTeam({ id: 4040 }))).toEqual({
      code: status.NOT_FOUND,
      details: 'team 4040 not found',
    });
  });
});

describe('services', () => {
  it('round-trips every field of the seed model', async () => {
    const { team } = await h.admin.createTeam({ name: 'svc-team' });
    const { credentialPool } = await h.admin.createCredentialPool({
      name: 'ssh-users',
      credentials: [{ username: 'alice', password: 'pw1' }],
    });
    const draft = serviceDraft(team!.id, {
      subtype: 'SSH',
      url: 'ssh://10.0.1.9',
      port: 22,
      external: false,
      username: 'root',
      password: 'toor',
      credentialPoolId: credentialPool!.id,
      teamSpecificInfo: 'jump host',
      protocol: 'tcp',
      httpString: 'OpenSSH',
      teamSpecific: true,
      publicVisibility: false,
      blueVisibility: true,
      greenVisibility: true,
      redVisibility: true,
      administrativelyDown: true,
      downReason: 'not yet deployed',
      scoreCap: 100,
      name: 'jump-ssh',
      points: 250,
      runnerPool: 'team-1',
      checkSettings: {
        expect: [{ rule: { $case: 'contains', value: 'OpenSSH' } }],
        reject: [{ rule: { $case: 'regex', value: '(?i)defaced|pwned' } }],
        partial: false,
        http: {
          status: [200, 302],
          headers: [{ name: 'server', rule: { rule: { $case: 'exact', value: 'nginx' } } }],
          maxRedirects: 2,
          verifyTls: true,
          login: {
            url: '/login',
            usernameField: 'user',
            passwordField: 'pass',
            fields: { next: '/admin', remember: 'on' },
          },
        },
        dns: { recordType: 'MX' },
        sql: { query: 'SELECT count(*) FROM posts' },
      },
    });
    const { service } = await h.admin.createService({ service: draft });
    const { id, createdAt, updatedAt, ...rest } = service!;
    expect(id).toBeGreaterThan(0);
    expect(createdAt).toBeInstanceOf(Date);
    expect(updatedAt).toBeInstanceOf(Date);
    const { id: _i, createdAt: _c, updatedAt: _u, ...want } = draft;
    expect(rest).toEqual(want);
    expect((await h.admin.getService({ id })).service).toEqual(service);
    const listed = await h.admin.listServices({ teamId: team!.id });
    expect(listed.services).toEqual([service]);
  });

  it('lists only the fields a read_mask names, each as the whole message has it; refuses an unknown field', async () => {
    const { team } = await h.admin.createTeam({ name: 'read-mask-team' });
    const { service } = await h.admin.createService({
      service: serviceDraft(team!.id, {
        subtype: 'DNS',
        url: 'dns://10.0.0.53',
        port: 53,
        username: 'u',
        password: 'p',
        teamSpecificInfo: 'zone example.org',
        httpString: 'x',
        administrativelyDown: true,
        downReason: 'later',
        scoreCap: 40,
        points: 7,
        runnerPool: 'inside',
        checkSettings: { expect: [], reject: [], partial: false, dns: { recordType: 'MX' } },
      }),
    });
    const whole = service!;
    const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    for (const [key, value] of Object.entries(whole)) {
      const { services } = await h.admin.listServices({
        teamId: team!.id,
        readMask: [snake(key)],
      });
      const alone: Partial<Service> = { [key]: value };
      expect(services, key).toEqual([Service.fromPartial(alone)]);
    }
    const { services } = await h.admin.listServices({
      teamId: team!.id,
      readMask: ['id', 'external', 'administratively_down', 'runner_pool'],
    });
    expect(services).toEqual([
      Service.fromPartial({
        id: whole.id,
        external: whole.external,
        administrativelyDown: true,
        runnerPool: 'inside',
      }),
    ]);
    const refused = await grpcError(h.admin.listServices({ readMask: ['id', 'teamId'] }));
    expect(refused.code).toBe(status.INVALID_ARGUMENT);
    expect(refused.details).toMatch(
      /^read_mask: unknown Service field "teamId"; known: id, team_id, /,
    );
  });

  it('names an unnamed service after its subtype and id, worth the default points; refuses a taken name', async () => {
    const { team } = await h.admin.createTeam({ name: 'names-team' });
    const { service } = await h.admin.createService({
      service: serviceDraft(team!.id, { subtype: 'My HTTP/2' }),
    });
    expect(service).toMatchObject({
      name: `my-http-2-${service!.id}`,
      points: 100,
      disabled: false,
    });
    await h.admin.createService({ service: serviceDraft(team!.id, { name: 'web' }) });
    await expect(
      h.admin.createService({ service: serviceDraft(team!.id, { name: 'web' }) }),
    ).rejects.toMatchObject({
      code: status.ALREADY_EXISTS,
      details: 'the team already has a service named "web"',
    });
    await expect(
      h.admin.createService({ service: serviceDraft(team!.id, { name: 'a b' }) }),
    ).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: `service.name: must be 1–64 letters, digits, '.', '_' or '-', got "a b"`,
    });
    // An update with an empty mask that gives no name or points keeps them.
    const { service: kept } = await h.admin.updateService({
      service: { ...service!, name: '', points: undefined, url: 'http://10.0.9.9/' },
    });
    expect(kept).toMatchObject({ name: service!.name, points: 100, url: 'http://10.0.9.9/' });
  });

  it('updates only the fields in update_mask, and clears score_cap when asked', async () => {
    const { team } = await h.admin.createTeam({ name: 'mask-team' });
    const { service } = await h.admin.createService({
      service: serviceDraft(team!.id, { scoreCap: 10, url: 'http://a/' }),
    });
    const { service: updated } = await h.admin.updateService({
      service: serviceDraft(0, {
        id: service!.id,
        administrativelyDown: true,
        downReason: 'patching',
        url: 'ignored',
        port: -5,
        scoreCap: undefined,
      }),
      updateMask: ['administratively_down', 'down_reason', 'score_cap'],
    });
    expect(updated).toMatchObject({
      teamId: team!.id,
      url: 'http://a/',
      port: 80,
      administrativelyDown: true,
      downReason: 'patching',
      scoreCap: undefined,
    });
  });

  it('refuses a masked write that would leave partial check settings without a score cap', async () => {
    const { team } = await h.admin.createTeam({ name: 'partial-team' });
    const partial = {
      expect: [
        { rule: { $case: 'contains' as const, value: 'a' } },
        { rule: { $case: 'contains' as const, value: 'b' } },
      ],
      reject: [],
      partial: true,
    };
    const refusal = {
      code: status.INVALID_ARGUMENT,
      details:
        "service.check_settings.partial: needs the service's score_cap: a partial result is a share of the cap",
    };
    const { service: uncapped } = await h.admin.createService({
      service: serviceDraft(team!.id, {}),
    });
    expect(
      await grpcError(
        h.admin.updateService({
          service: { ...uncapped!, checkSettings: partial },
          updateMask: ['check_settings'],
        }),
      ),
    ).toEqual(refusal);
    const { service: capped } = await h.admin.createService({
      service: serviceDraft(team!.id, { scoreCap: 10, checkSettings: partial }),
    });
    expect(
      await grpcError(
        h.admin.updateService({
          service: { ...capped!, scoreCap: undefined },
          updateMask: ['score_cap'],
        }),
      ),
    ).toEqual(refusal);
    expect((await h.admin.getService({ id: capped!.id })).service).toMatchObject({
      scoreCap: 10,
      checkSettings: { partial: true },
    });
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const { team } = await h.admin.createTeam({ name: 'bad-input-team' });
    const before = await h.count('service');
    const cases: [Parameters<typeof serviceDraft>[1], string, number][] = [
      [
        { port: -1 },
        'service.port: must be a TCP/UDP port 0..65535, got -1',
        status.INVALID_ARGUMENT,
      ],
      [
        { port: 70000 },
        'service.port: must be a TCP/UDP port 0..65535, got 70000',
        status.INVALID_ARGUMENT,
      ],
      [{ subtype: '' }, 'service.subtype: must not be empty', status.INVALID_ARGUMENT],
      [
        { runnerPool: 'team 1' },
        `service.runner_pool: must be empty or "default" (the default pool), or 1–64 letters, digits, '.', '_' or '-', got "team 1"`,
        status.INVALID_ARGUMENT,
      ],
      [
        {
          checkSettings: {
            expect: [{ rule: { $case: 'regex', value: '(a)\\1' } }],
            reject: [],
            partial: false,
          },
        },
        'service.check_settings.expect[0].regex: is not a pattern RE2 accepts (no backreferences or lookaround): error parsing regexp: invalid escape sequence: `\\1`',
        status.INVALID_ARGUMENT,
      ],
      [
        {
          checkSettings: {
            expect: [
              { rule: { $case: 'contains', value: 'a' } },
              { rule: { $case: 'contains', value: 'b' } },
            ],
            reject: [],
            partial: true,
          },
        },
        "service.check_settings.partial: needs the service's score_cap: a partial result is a share of the cap",
        status.INVALID_ARGUMENT,
      ],
      [{ credentialPoolId: 9999 }, 'credential pool 9999 not found', status.NOT_FOUND],
    ];
    for (const [overrides, details, code] of cases) {
      expect(
        await grpcError(h.admin.createService({ service: serviceDraft(team!.id, overrides) })),
      ).toEqual({ code, details });
    }
    expect(await grpcError(h.admin.createService({ service: serviceDraft(8888) }))).toEqual({
      code: status.NOT_FOUND,
      details: 'team 8888 not found',
    });
    expect(await grpcError(h.admin.createService({ service: undefined }))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'service: is required',
    });
    expect(await h.count('service')).toBe(before);
  });

  it('refuses unknown update_mask paths and unknown ids', async () => {
    const { team } = await h.admin.createTeam({ name: 'mask-errors' });
    const { service } = await h.admin.createService({ service: serviceDraft(team!.id) });
    const err = await grpcError(
      h.admin.updateService({
        service: serviceDraft(team!.id, { id: service!.id }),
        updateMask: ['in_progress'],
      }),
    );
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.details).toMatch(
      /^update_mask: unknown or read-only field "in_progress"; writable: team_id, /,
    );
    expect(
      await grpcError(
        h.admin.updateService({
          service: serviceDraft(team!.id, { id: 123456 }),
          updateMask: ['url'],
        }),
      ),
    ).toEqual({ code: status.NOT_FOUND, details: 'service 123456 not found' });
  });
});

describe('credential pools', () => {
  it('creates, replaces credentials, renames, gets and lists pools', async () => {
    const { credentialPool } = await h.admin.createCredentialPool({
      name: 'web-users',
      credentials: [
        { username: 'u1', password: 'p1' },
        { username: 'u2', password: 'p2' },
      ],
    });
    expect(credentialPool?.credentials).toEqual([
      { username: 'u1', password: 'p1' },
      { username: 'u2', password: 'p2' },
    ]);
    const replaced = await h.admin.updateCredentialPool({
      id: credentialPool!.id,
      name: '',
      credentials: [{ username: 'u3', password: 'p3' }],
      updateMask: ['credentials'],
    });
    expect(replaced.credentialPool).toMatchObject({
      name: 'web-users',
      credentials: [{ username: 'u3', password: 'p3' }],
    });
    const renamed = await h.admin.updateCredentialPool({
      id: credentialPool!.id,
      name: 'web',
      credentials: [],
      updateMask: ['name'],
    });
    expect(renamed.credentialPool).toMatchObject({
      name: 'web',
      credentials: [{ username: 'u3' }],
    });
    expect((await h.admin.getCredentialPool({ id: credentialPool!.id })).credentialPool).toEqual(
      renamed.credentialPool,
    );
    const { credentialPools } = await h.admin.listCredentialPools({});
    expect(credentialPools.map((p) => p.name)).toContain('web');
    expect(await grpcError(h.admin.createCredentialPool({ name: 'web', credentials: [] }))).toEqual(
      {
        code: status.ALREADY_EXISTS,
        details: 'a credential pool named "web" already exists',
      },
    );
    expect(
      await grpcError(
        h.admin.createCredentialPool({ name: 'x', credentials: [{ username: '', password: 'p' }] }),
      ),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'credentials[0].username: must not be empty',
    });
    expect(await grpcError(h.admin.getCredentialPool({ id: 5150 }))).toEqual({
      code: status.NOT_FOUND,
      details: 'credential pool 5150 not found',
    });
  });
});
