import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminServiceService,
  Role,
  ScoringServiceService,
  StatusServiceService,
  TokenServiceService,
  CompetitionServiceService,
  AdjustmentServiceService,
  PasswordChangeServiceService,
  ScoreboardServiceService,
  type Service,
  type WatchServiceStatusResponse,
} from '@checkwire/proto';
import { callAnswer, tableFingerprint } from '@checkwire/testing';
import {
  connect,
  grpcError,
  serviceDraft,
  startHarness,
  type Clients,
  type Harness,
} from './harness.js';

// Who may call what, and who sees what. Expectations are written out by hand from the rules in
// the access-control issue, not computed by the code under test.

type Who =
  | 'admin'
  | 'runner'
  | 'runnerDns'
  | 'runnerPub'
  | 'scheduler'
  | 'blueA'
  | 'blueB'
  | 'red'
  | 'green'
  | 'public'
  | 'gateway';
type Svc = 'pub' | 'own' | 'blue' | 'red' | 'green' | 'hidden';

const NO_FLAGS = {
  publicVisibility: false,
  blueVisibility: false,
  redVisibility: false,
  greenVisibility: false,
};

type Pool = 'poolPub' | 'poolRed' | 'poolUnused';
const POOLS: Pool[] = ['poolPub', 'poolRed', 'poolUnused'];

/** Team A owns pub and own; team B owns the rest. pub and red log in from credential pools. */
const SERVICES: Record<Svc, { team: 'A' | 'B'; pool?: Pool; fields: Partial<Service> }> = {
  pub: { team: 'A', pool: 'poolPub', fields: { subtype: 'http', publicVisibility: true } },
  own: { team: 'A', fields: { subtype: 'http' } },
  blue: { team: 'B', fields: { subtype: 'http', blueVisibility: true } },
  red: { team: 'B', pool: 'poolRed', fields: { subtype: 'dns', redVisibility: true } },
  green: { team: 'B', fields: { subtype: 'dns', greenVisibility: true } },
  hidden: { team: 'B', fields: { subtype: 'ssh' } },
};
const ALL: Svc[] = ['pub', 'own', 'blue', 'red', 'green', 'hidden'];

const VISIBLE: Record<Who, Svc[]> = {
  admin: ALL,
  runner: ALL,
  runnerDns: ['red', 'green'],
  runnerPub: ['pub'],
  // It schedules every service's checks.
  scheduler: ALL,
  // People with a token see at least what the public sees.
  blueA: ['pub', 'own', 'blue'],
  blueB: ['pub', 'blue', 'red', 'green', 'hidden'],
  red: ['pub', 'red'],
  green: ['pub', 'green'],
  public: ['pub'],
  gateway: [],
};
/** Who reads usernames and passwords. */
const SEES_SECRETS: Who[] = ['admin', 'runner', 'runnerDns', 'runnerPub'];
/** The credential pools each one reads: a limited runner, only those of services it scores. */
const SEES_POOLS: Partial<Record<Who, Pool[]>> = {
  admin: POOLS,
  runner: POOLS,
  runnerDns: ['poolRed'],
  runnerPub: ['poolPub'],
};
/** Who reads failure texts (last_scan_error, error_msg): the white team only. */
const SEES_ERRORS: Who[] = ['admin'];

let h: Harness;
const ids = {} as Record<Svc, number>;
const poolIds = {} as Record<Pool, number>;
const teams = {} as Record<'A' | 'B', number>;
const secrets = {} as Record<Exclude<Who, 'public' | 'admin'>, string>;
const as = {} as Record<Who, Clients>;

beforeAll(async () => {
  h = await startHarness();
  for (const t of ['A', 'B'] as const) {
    teams[t] = (await h.admin.createTeam({ name: `access-${t}` })).team!.id;
  }
  for (const pool of POOLS) {
    const { credentialPool } = await h.admin.createCredentialPool({
      name: pool,
      credentials: [{ username: `user-${pool}`, password: `pw-${pool}` }],
    });
    poolIds[pool] = credentialPool!.id;
  }
  for (const name of ALL) {
    const { team, pool, fields } = SERVICES[name];
    const { service } = await h.admin.createService({
      service: serviceDraft(teams[team], {
        ...NO_FLAGS,
        username: `user-${name}`,
        password: `pw-${name}`,
        credentialPoolId: pool === undefined ? undefined : poolIds[pool],
        ...fields,
      }),
    });
    ids[name] = service!.id;
    await h.scoring.insertServiceScore({
      serviceId: ids[name],
      result: 1,
      errorMsg: `err-${name}`,
    });
  }
  const mint = async (role: Role, extra: Record<string, unknown> = {}) =>
    (
      await h.tokens.createToken({
        name: `t-${role}`,
        role,
        subtypes: [],
        serviceIds: [],
        ...extra,
      })
    ).secret;
  secrets.runner = await mint(Role.ROLE_CHECK_RUNNER);
  secrets.runnerDns = await mint(Role.ROLE_CHECK_RUNNER, { subtypes: ['dns'] });
  secrets.runnerPub = await mint(Role.ROLE_CHECK_RUNNER, { serviceIds: [ids.pub] });
  secrets.scheduler = await mint(Role.ROLE_SCHEDULER);
  secrets.blueA = await mint(Role.ROLE_BLUE, { teamId: teams.A });
  secrets.blueB = await mint(Role.ROLE_BLUE, { teamId: teams.B });
  secrets.red = await mint(Role.ROLE_RED);
  secrets.green = await mint(Role.ROLE_GREEN);
  secrets.gateway = await mint(Role.ROLE_LC_GATEWAY);
  as.admin = h;
  as.public = connect(h.app.address);
  for (const [who, secret] of Object.entries(secrets)) {
    as[who as Who] = connect(h.app.address, secret);
  }
});
afterAll(async () => {
  for (const [who, c] of Object.entries(as)) if (who !== 'admin') c.close();
  await h.stop();
});

const byId = (id: number): Svc => ALL.find((n) => ids[n] === id)!;
const sorted = (names: Svc[]) => [...names].sort();
const WHO = Object.keys(VISIBLE) as Who[];

function expectedErrorText(who: Who, name: Svc): string | undefined {
  return SEES_ERRORS.includes(who) ? `err-${name}` : undefined;
}

describe('what each role sees', () => {
  it.each(WHO)('%s: ListServices, with credentials only for admin and runners', async (who) => {
    const { services } = await as[who].admin.listServices({});
    expect(sorted(services.map((s) => byId(s.id)))).toEqual(sorted(VISIBLE[who]));
    for (const s of services) {
      const name = byId(s.id);
      const secret = SEES_SECRETS.includes(who);
      expect({ username: s.username, password: s.password }).toEqual({
        username: secret ? `user-${name}` : '',
        password: secret ? `pw-${name}` : '',
      });
      expect(s.lastScanError).toBe(expectedErrorText(who, name));
    }
  });

  it.each(WHO)(
    '%s: ListServices with a read_mask of the secret fields sees the same services, as redacted',
    async (who) => {
      const { services } = await as[who].admin.listServices({
        readMask: ['id', 'username', 'password', 'last_scan_error'],
      });
      expect(sorted(services.map((s) => byId(s.id)))).toEqual(sorted(VISIBLE[who]));
      for (const s of services) {
        const name = byId(s.id);
        const secret = SEES_SECRETS.includes(who);
        expect({ username: s.username, password: s.password, subtype: s.subtype }).toEqual({
          username: secret ? `user-${name}` : '',
          password: secret ? `pw-${name}` : '',
          subtype: '',
        });
        expect(s.lastScanError).toBe(expectedErrorText(who, name));
      }
    },
  );

  it.each(WHO)(
    '%s: GetService answers NOT_FOUND for what it may not see, redacts the rest',
    async (who) => {
      for (const name of ALL) {
        const call = as[who].admin.getService({ id: ids[name] });
        if (VISIBLE[who].includes(name)) {
          const { service } = await call;
          const secret = SEES_SECRETS.includes(who);
          expect({
            id: service?.id,
            password: service?.password,
            lastScanError: service?.lastScanError,
          }).toEqual({
            id: ids[name],
            password: secret ? `pw-${name}` : '',
            lastScanError: expectedErrorText(who, name),
          });
        } else {
          expect(await grpcError(call)).toEqual({
            code: status.NOT_FOUND,
            details: `service ${ids[name]} not found`,
          });
        }
      }
    },
  );

  it.each(WHO)('%s: ListServiceStatus and ListScores', async (who) => {
    const { statuses } = await as[who].status.listServiceStatus({});
    expect(sorted(statuses.map((s) => byId(s.serviceId)))).toEqual(sorted(VISIBLE[who]));
    for (const s of statuses)
      expect(s.lastScanError).toBe(expectedErrorText(who, byId(s.serviceId)));

    const { scores } = await as[who].status.listScores({ pageSize: 100, pageToken: '' });
    expect(sorted(scores.map((s) => byId(s.serviceId)))).toEqual(sorted(VISIBLE[who]));
    for (const s of scores) expect(s.errorMsg).toBe(expectedErrorText(who, byId(s.serviceId)));
  });

  it.each(['admin', 'blueA', 'public', 'runnerDns'] as Who[])(
    '%s: WatchServiceStatus filters the snapshot and every change',
    async (who) => {
      const controller = new AbortController();
      const stream = as[who].status.watchServiceStatus(
        {},
        { signal: controller.signal, deadlineMs: 20_000 },
      );
      const initial: Svc[] = [];
      const changes: Svc[] = [];
      const visibleNow = VISIBLE[who][0]!;
      const iterator = stream[Symbol.asyncIterator]();
      for (;;) {
        const { value } = await iterator.next();
        const event = (value as WatchServiceStatusResponse).event;
        if (event?.$case === 'snapshotComplete') break;
        if (event?.$case === 'initial') initial.push(byId(event.value.serviceId));
      }
      expect(sorted(initial)).toEqual(sorted(VISIBLE[who]));
      // Every service changes; only the visible ones may reach this watcher.
      for (const name of ALL) {
        if (name === visibleNow) continue;
        await h.scoring.insertServiceScore({
          serviceId: ids[name],
          result: 2,
          errorMsg: `err-${name}`,
        });
      }
      await h.scoring.insertServiceScore({
        serviceId: ids[visibleNow],
        result: 3,
        errorMsg: `err-${visibleNow}`,
      });
      for (;;) {
        const { value } = await iterator.next();
        const event = (value as WatchServiceStatusResponse).event;
        if (event?.$case !== 'change') continue;
        const name = byId(event.value.serviceId);
        changes.push(name);
        expect(event.value.lastScanError).toBe(expectedErrorText(who, name));
        if (name === visibleNow && event.value.lastScan === 3) break;
      }
      controller.abort();
      expect(changes.every((n) => VISIBLE[who].includes(n))).toBe(true);
      expect(changes).toContain(visibleNow);
    },
  );
});

describe('credential pools', () => {
  const RUNNERS = Object.keys(SEES_POOLS) as Who[];
  const poolById = (id: number): Pool => POOLS.find((p) => poolIds[p] === id)!;

  it.each(RUNNERS)('%s: ListCredentialPools lists only its pools, with passwords', async (who) => {
    const { credentialPools } = await as[who].admin.listCredentialPools({});
    expect(
      credentialPools.map((p) => ({ name: poolById(p.id), credentials: p.credentials })),
    ).toEqual(
      SEES_POOLS[who]!.map((pool) => ({
        name: pool,
        credentials: [{ username: `user-${pool}`, password: `pw-${pool}` }],
      })),
    );
  });

  it.each(RUNNERS)('%s: GetCredentialPool answers NOT_FOUND for the others', async (who) => {
    for (const pool of POOLS) {
      const call = as[who].admin.getCredentialPool({ id: poolIds[pool] });
      if (SEES_POOLS[who]!.includes(pool)) {
        expect((await call).credentialPool?.credentials).toEqual([
          { username: `user-${pool}`, password: `pw-${pool}` },
        ]);
      } else {
        expect(await grpcError(call)).toEqual({
          code: status.NOT_FOUND,
          details: `credential pool ${poolIds[pool]} not found`,
        });
      }
    }
  });
});

/** Who may call each RPC; every RPC the server has must be listed (the test fails otherwise). */
const ANYONE: Who[] = WHO;
const SCORERS: Who[] = ['admin', 'runner', 'runnerDns', 'runnerPub'];
const ADMIN: Who[] = ['admin'];
const POLICY: Record<string, Who[]> = {
  'ScoringService/InsertServiceScoreInProgress': SCORERS,
  'ScoringService/InsertServiceScore': SCORERS,
  'ScoringService/InsertServiceScoreDone': SCORERS,
  'ScoringService/ReportServiceError': SCORERS,
  'ScoringService/InsertServiceScores': SCORERS,
  'ScoringService/StartServiceChecks': SCORERS,
  'ScoringService/FinishServiceChecks': [...SCORERS, 'scheduler'],
  'AdminService/CreateTeam': ADMIN,
  'AdminService/UpdateTeam': ADMIN,
  'AdminService/GetTeam': ANYONE,
  'AdminService/ListTeams': ANYONE,
  'AdminService/CreateService': ADMIN,
  'AdminService/UpdateService': ADMIN,
  'AdminService/GetService': ANYONE,
  'AdminService/ListServices': ANYONE,
  'AdminService/CreateCredentialPool': ADMIN,
  'AdminService/UpdateCredentialPool': ADMIN,
  'AdminService/GetCredentialPool': SCORERS,
  'AdminService/ListCredentialPools': SCORERS,
  'StatusService/ListScores': ANYONE,
  'StatusService/ListServiceErrors': ADMIN,
  'StatusService/ListServiceStatus': ANYONE,
  'StatusService/WatchServiceStatus': ANYONE,
  'TokenService/CreateToken': ADMIN,
  'TokenService/ListTokens': ADMIN,
  'TokenService/RevokeToken': ADMIN,
  'TokenService/WhoAmI': ANYONE,
  'CompetitionService/ApplyCompetition': ADMIN,
  'CompetitionService/ExportCompetition': ADMIN,
  'ScoreboardService/GetScoreboard': ANYONE,
  'ScoreboardService/WatchScoreboard': ANYONE,
  'AdjustmentService/AdjustPoints': ADMIN,
  'AdjustmentService/FlipCheckResult': ADMIN,
  'AdjustmentService/RescoreRound': ADMIN,
  'AdjustmentService/ListAuditLog': ADMIN,
  'PasswordChangeService/RequestPasswordChange': ['admin', 'blueA', 'blueB'],
  'PasswordChangeService/ListPasswordChanges': ['admin', 'blueA', 'blueB'],
  'PasswordChangeService/DecidePasswordChange': ADMIN,
};
const ROLE_WORDS: Record<Who, string> = {
  admin: 'an admin token',
  runner: 'a check_runner token',
  runnerDns: 'a check_runner token',
  runnerPub: 'a check_runner token',
  scheduler: 'a scheduler token',
  blueA: 'a blue token (team A)',
  blueB: 'a blue token (team B)',
  red: 'a red token',
  green: 'a green token',
  public: '',
  gateway: 'an lc_gateway token',
};
const NEEDS: Record<string, string> = {
  [SCORERS.join()]: 'admin or check_runner',
  [[...SCORERS, 'scheduler'].join()]: 'admin or check_runner or scheduler',
  [ADMIN.join()]: 'admin',
  [['admin', 'blueA', 'blueB'].join()]: 'admin or blue',
};

const DEFINITIONS = {
  scoring: ScoringServiceService,
  admin: AdminServiceService,
  status: StatusServiceService,
  tokens: TokenServiceService,
  competitions: CompetitionServiceService,
  scoreboard: ScoreboardServiceService,
  adjustments: AdjustmentServiceService,
  passwordChanges: PasswordChangeServiceService,
} as const;

/** The service each scorer may score (a limited runner's own). */
const SCORES: Partial<Record<Who, Svc>> = {
  admin: 'pub',
  scheduler: 'hidden',
  runner: 'pub',
  runnerDns: 'red',
  runnerPub: 'pub',
};
let made = 0;
const unique = (prefix: string) => `${prefix}-${++made}`;

/**
 * A valid request of each RPC for `who` (a caller who may not make the call gets the admin's),
 * so an allowed call must answer OK. Fields left out take their defaults. Building one may
 * write (the token RevokeToken revokes), so requests are built before a refusal is checked.
 */
const VALID: Record<
  string,
  (who: Who) => Record<string, unknown> | Promise<Record<string, unknown>>
> = {
  'ScoringService/InsertServiceScoreInProgress': (who) => ({ serviceId: scored(who) }),
  'ScoringService/InsertServiceScore': (who) => ({ serviceId: scored(who), result: 1 }),
  'ScoringService/InsertServiceScoreDone': (who) => ({ serviceId: scored(who) }),
  'ScoringService/ReportServiceError': async (who) => {
    const { score } = await h.scoring.insertServiceScore({ serviceId: scored(who), result: 0 });
    return { scoreId: score!.id, kind: 1, message: 'slow' };
  },
  'ScoringService/InsertServiceScores': (who) => ({
    entries: [{ serviceId: scored(who), result: 1 }],
  }),
  'ScoringService/StartServiceChecks': (who) => ({ serviceIds: [scored(who)] }),
  // The scheduler records give-ups only: result 0, no run.
  'ScoringService/FinishServiceChecks': (who) => ({
    entries: [
      {
        serviceId: scored(who),
        checkRunId: 0,
        result: who === 'scheduler' ? 0 : 1,
        requestId: unique('finish'),
      },
    ],
  }),
  'AdminService/CreateTeam': () => ({ name: unique('team') }),
  'AdminService/UpdateTeam': () => ({ id: teams.A, name: 'access-A' }),
  'AdminService/GetTeam': () => ({ id: teams.A }),
  'AdminService/ListTeams': () => ({}),
  'AdminService/CreateService': () => ({
    service: serviceDraft(teams.B, { ...NO_FLAGS, subtype: 'ssh' }),
  }),
  'AdminService/UpdateService': () => ({
    service: { id: ids.hidden, downReason: 'maintenance' },
    updateMask: ['down_reason'],
  }),
  'AdminService/GetService': (who) => ({ id: ids[VISIBLE[who][0] ?? 'pub'] }),
  'AdminService/ListServices': () => ({}),
  'AdminService/CreateCredentialPool': () => ({ name: unique('pool'), credentials: [] }),
  'AdminService/UpdateCredentialPool': () => ({
    id: poolIds.poolUnused,
    name: 'poolUnused',
    updateMask: ['name'],
  }),
  'AdminService/GetCredentialPool': (who) => ({
    id: poolIds[(SEES_POOLS[who] ?? POOLS)[0]!],
  }),
  'AdminService/ListCredentialPools': () => ({}),
  'StatusService/ListScores': () => ({ pageSize: 10 }),
  'StatusService/ListServiceErrors': () => ({ pageSize: 10 }),
  'StatusService/ListServiceStatus': () => ({}),
  'StatusService/WatchServiceStatus': () => ({}),
  'TokenService/CreateToken': () => ({ name: unique('token'), role: Role.ROLE_RED }),
  'TokenService/ListTokens': () => ({}),
  'TokenService/RevokeToken': async () => {
    const { token } = await h.tokens.createToken({
      name: unique('revoked'),
      role: Role.ROLE_GREEN,
      subtypes: [],
      serviceIds: [],
    });
    return { id: token!.id };
  },
  'TokenService/WhoAmI': () => ({}),
  // A dry run: valid, and writes nothing (a real apply would disable every service here).
  'CompetitionService/ApplyCompetition': () => ({
    competition: { name: 'access', teams: [] },
    dryRun: true,
  }),
  'CompetitionService/ExportCompetition': () => ({}),
  'ScoreboardService/GetScoreboard': () => ({ recentRounds: 3 }),
  'ScoreboardService/WatchScoreboard': () => ({ recentRounds: 3 }),
  'AdjustmentService/AdjustPoints': () => ({ teamId: teams.A, points: 1, reason: 'access' }),
  // A round of its own with a score to flip (written before any refusal is checked).
  'AdjustmentService/FlipCheckResult': async () => {
    const roundTime = new Date(Date.UTC(2026, 0, 1, 0, ++made));
    await h.sql.query('INSERT INTO round VALUES ($1)', [roundTime]);
    await h.scoring.finishServiceChecks({
      entries: [{ serviceId: ids.pub, result: 1, requestId: unique('flip'), roundTime }],
    });
    return { serviceId: ids.pub, roundTime, reason: 'access' };
  },
  // A round of its own with a score to count again.
  'AdjustmentService/RescoreRound': async () => {
    const roundTime = new Date(Date.UTC(2026, 0, 1, 0, ++made));
    await h.sql.query('INSERT INTO round VALUES ($1)', [roundTime]);
    await h.scoring.finishServiceChecks({
      entries: [{ serviceId: ids.pub, result: 1, requestId: unique('rescore'), roundTime }],
    });
    return { roundTime, reason: 'access' };
  },
  'AdjustmentService/ListAuditLog': () => ({}),
  // A blue team for a service of its own team.
  'PasswordChangeService/RequestPasswordChange': (who) => ({
    serviceId:
      who === 'blueA'
        ? ids.own
        : who === 'blueB'
          ? ids[ALL.find((n) => SERVICES[n].team === 'B')!]
          : ids.pub,
    password: 'access',
  }),
  'PasswordChangeService/ListPasswordChanges': () => ({}),
  'PasswordChangeService/DecidePasswordChange': async () => {
    const { passwordChange } = await h.passwordChanges.requestPasswordChange({
      serviceId: ids.pub,
      password: 'access',
    });
    return { id: passwordChange!.id, approve: false, reason: 'access' };
  },
};

function scored(who: Who): number {
  return ids[SCORES[who] ?? 'pub'];
}

type Method = { requestDeserialize(b: Buffer): object; responseStream: boolean };

async function requestFor(group: keyof typeof DEFINITIONS, key: string, rpc: string, who: Who) {
  const method = (DEFINITIONS[group] as unknown as Record<string, Method>)[key]!;
  const defaults = method.requestDeserialize(Buffer.alloc(0)) as Record<string, unknown>;
  const valid = await VALID[rpc]!(who);
  // A nested message is completed with its own defaults (UpdateService's service).
  if (valid.service !== undefined && defaults.service === undefined) {
    valid.service = { ...serviceDraft(0), ...(valid.service as object) };
  }
  return { ...defaults, ...valid };
}

/** Calls one RPC; resolves to its status (code 0 for OK). */
function send(client: Clients, group: keyof typeof DEFINITIONS, key: string, request: object) {
  const fn = (client[group] as unknown as Record<string, (r: unknown, o: unknown) => unknown>)[
    key
  ]!;
  const controller = new AbortController();
  const call = fn(request, { signal: controller.signal }) as
    Promise<unknown> | AsyncIterable<unknown>;
  return callAnswer(call, controller);
}

describe('role × RPC', () => {
  const rpcs = Object.entries(DEFINITIONS).flatMap(([group, def]) =>
    Object.entries(def).map(([key, m]) => ({
      group: group as keyof typeof DEFINITIONS,
      key,
      rpc: (m as { path: string }).path.replace(/^\/checkwire\.\w+\.v1\./, ''),
    })),
  );

  it('has a policy and a valid request for every RPC the server offers', () => {
    expect(rpcs.map((r) => r.rpc).sort()).toEqual(Object.keys(POLICY).sort());
    expect(Object.keys(VALID).sort()).toEqual(Object.keys(POLICY).sort());
  });

  it.each(rpcs.map((r) => [r.rpc, r] as const))('%s', async (_name, { group, key, rpc }) => {
    const allowed = POLICY[rpc]!;
    const what = `call ${rpc.replace('/', '.')}`;
    const refused = WHO.filter((w) => !allowed.includes(w));
    const requests = [];
    for (const who of refused) requests.push(await requestFor(group, key, rpc, who));
    const before = await tableFingerprint(h.sql);
    for (const [i, who] of refused.entries()) {
      const got = await send(as[who], group, key, requests[i]!);
      if (who === 'public') {
        expect(got, `${who} ${rpc}`).toEqual({
          code: status.UNAUTHENTICATED,
          details: `${what} needs ${NEEDS[allowed.join()]}: send metadata 'authorization: Bearer <token>'`,
        });
      } else {
        const words = ROLE_WORDS[who]
          .replace('team A', `team ${teams.A}`)
          .replace('team B', `team ${teams.B}`);
        expect(got, `${who} ${rpc}`).toEqual({
          code: status.PERMISSION_DENIED,
          details: `${words} may not ${what}; it needs ${NEEDS[allowed.join()]}`,
        });
      }
    }
    expect(await tableFingerprint(h.sql), `refused ${rpc} wrote`).toEqual(before);
    for (const who of allowed) {
      const got = await send(as[who], group, key, await requestFor(group, key, rpc, who));
      // One who sees no service may ask for one, and is told it does not exist.
      const expected =
        rpc === 'AdminService/GetService' && VISIBLE[who].length === 0
          ? { code: status.NOT_FOUND, details: `service ${ids.pub} not found` }
          : { code: 0, details: '' };
      expect(got, `${who} ${rpc}`).toEqual(expected);
    }
  });
});

describe('a check runner limited to subtypes or services', () => {
  it('scores its own services and is refused the others, writing nothing', async () => {
    const dns = as.runnerDns.scoring;
    const errorsBefore = await h.count('service_error');
    const run = await dns.insertServiceScoreInProgress({ serviceId: ids.red });
    expect(run.checkRun?.serviceId).toBe(ids.red);
    const { score } = await dns.insertServiceScore({ serviceId: ids.red, result: 5 });
    await dns.reportServiceError({ scoreId: score!.id, kind: 1, message: 'slow', detail: '' });
    await dns.insertServiceScoreDone({ serviceId: ids.red });

    const scoresBefore = await h.count('score');
    const runsBefore = await h.count('check_run');
    const refusal = {
      code: status.PERMISSION_DENIED,
      details: `this check_runner token may not score service ${ids.pub}; it is limited to subtypes dns`,
    };
    expect(await grpcError(dns.insertServiceScoreInProgress({ serviceId: ids.pub }))).toEqual(
      refusal,
    );
    expect(await grpcError(dns.insertServiceScore({ serviceId: ids.pub, result: 1 }))).toEqual(
      refusal,
    );
    expect(await grpcError(dns.insertServiceScoreDone({ serviceId: ids.pub }))).toEqual(refusal);
    expect(
      await grpcError(
        dns.insertServiceScores({
          entries: [
            { serviceId: ids.green, result: 1 },
            { serviceId: ids.pub, result: 1 },
          ],
        }),
      ),
    ).toEqual(refusal);
    const { score: other } = await h.scoring.insertServiceScore({ serviceId: ids.pub, result: 1 });
    expect(
      await grpcError(
        dns.reportServiceError({ scoreId: other!.id, kind: 1, message: 'x', detail: '' }),
      ),
    ).toEqual(refusal);
    expect(await h.count('score')).toBe(scoresBefore + 1);
    expect(await h.count('check_run')).toBe(runsBefore);
    expect(await h.count('service_error')).toBe(errorsBefore + 1);

    expect(
      await grpcError(as.runnerPub.scoring.insertServiceScore({ serviceId: ids.own, result: 1 })),
    ).toEqual({
      code: status.PERMISSION_DENIED,
      details: `this check_runner token may not score service ${ids.own}; it is limited to services ${ids.pub}`,
    });
  });
});
