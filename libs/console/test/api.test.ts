import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import {
  AdminServiceService,
  PasswordChangeServiceService,
  Role,
  ScoringServiceService,
  TokenServiceService,
} from '@checkwire/proto';
import {
  createTestDatabase,
  serviceDraft,
  startScoringProcess,
  type ScoringProcess,
  type TestDatabase,
} from '@checkwire/testing';
import { ConsoleApp } from '../src/index.js';

// The console's HTTP API against a real scoring server: sign-in, what a write must carry, what
// it refuses and how it says so, the bounds on what one browser may hold open, and the live
// streams.

let database: TestDatabase;
let scoring: ScoringProcess;
let consoleApp: ConsoleApp;
let url: string;
const tokens = { admin: '', blue: '', runner: '' };
let hiddenTeamId = 0;
/** Alpha's hidden service: scores on it count in the team's total, which the public sees. */
let dbServiceId = 0;
/** Writes scores as a check runner does. */
let runner: PromiseClient<typeof ScoringServiceService>;
let sql: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  // The real scoring server, as its own process (this lib may not import another feature's code).
  scoring = await startScoringProcess(database.url);
  tokens.admin = scoring.adminToken;
  const admin = createPromiseClient(AdminServiceService, scoring.address, { token: tokens.admin });
  const tokenClient = createPromiseClient(TokenServiceService, scoring.address, {
    token: tokens.admin,
  });
  const { team } = await admin.createTeam({ name: 'Alpha' });
  hiddenTeamId = team!.id;
  await admin.createService({ service: serviceDraft(team!.id, { name: 'www' }) });
  const { service: db } = await admin.createService({
    service: serviceDraft(team!.id, { name: 'db', publicVisibility: false }),
  });
  dbServiceId = db!.id;
  tokens.blue = (
    await tokenClient.createToken({ name: 'b', role: Role.ROLE_BLUE, teamId: team!.id })
  ).secret;
  tokens.runner = (
    await tokenClient.createToken({ name: 'r', role: Role.ROLE_CHECK_RUNNER })
  ).secret;
  admin.close();
  tokenClient.close();
  runner = createPromiseClient(ScoringServiceService, scoring.address, { token: tokens.runner });
  sql = new pg.Pool({ connectionString: database.url, max: 1 });

  const staticDir = mkdtempSync(join(tmpdir(), 'checkwire-console-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><div id="root"></div>');
  consoleApp = await ConsoleApp.start({
    scoringAddress: scoring.address,
    staticDir,
    streamsPerBrowser: 2,
  });
  url = consoleApp.address;
});
afterAll(async () => {
  runner?.close();
  await sql?.end();
  await consoleApp?.stop();
  await scoring?.stop();
  await database?.drop();
});

const json = { 'content-type': 'application/json' };

/** Signs in with `token`, returning the cookie and CSRF token a browser would hold. */
async function signIn(token: string) {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ token }),
  });
  expect(res.status).toBe(200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrf } = (await res.json()) as { csrf: string };
  return { cookie, csrf };
}

async function answer(res: Response) {
  const body: unknown = await res.json();
  return { status: res.status, body };
}

describe('signing in', () => {
  it('refuses a missing, unknown or machine token in words, and sets a strict httpOnly cookie for a person', async () => {
    const post = (body: string) =>
      fetch(`${url}/api/session`, { method: 'POST', headers: json, body }).then(answer);
    expect(await post('{}')).toEqual({
      status: 400,
      body: { error: 'paste a Checkwire token into "token" (an admin or team member token)' },
    });
    expect(await post('not json')).toMatchObject({ status: 400 });
    const unknown = await post(JSON.stringify({ token: 'cw_nope' }));
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({
      error: expect.stringMatching(/^that token was not accepted: /),
    });
    expect(await post(JSON.stringify({ token: tokens.runner }))).toEqual({
      status: 403,
      body: {
        error:
          'this is a check_runner token, for a program rather than a person: sign in with an admin, blue, red or green team token',
      },
    });

    const res = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ token: tokens.blue }),
    });
    expect(res.headers.get('set-cookie')).toMatch(
      /^checkwire_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    const me = (await res.json()) as Record<string, unknown>;
    expect(me).toMatchObject({ signedIn: true, role: 'blue', name: 'b', teamId: hiddenTeamId });
    // The token never goes back to the browser.
    expect(JSON.stringify(me)).not.toContain(tokens.blue);
  });
});

describe('writes', () => {
  it('need JSON, this origin and the session’s CSRF token; sign-out then forgets the session', async () => {
    const { cookie, csrf } = await signIn(tokens.admin);
    const signOut = (headers: Record<string, string>) =>
      fetch(`${url}/api/session`, {
        method: 'DELETE',
        headers: { cookie, ...headers },
        body: '{}',
      }).then(answer);
    expect(await signOut({ 'content-type': 'text/plain' })).toEqual({
      status: 415,
      body: { error: 'send the request body as JSON (content-type: application/json)' },
    });
    expect(
      await signOut({ ...json, 'x-csrf-token': csrf, origin: 'https://evil.example' }),
    ).toEqual({
      status: 403,
      body: { error: 'a request from https://evil.example may not change anything here' },
    });
    expect(await signOut({ ...json, 'x-csrf-token': 'guess' })).toMatchObject({
      status: 403,
      body: { error: expect.stringMatching(/CSRF token/) },
    });
    // Still signed in after all three.
    const me = await fetch(`${url}/api/session`, { headers: { cookie } }).then(answer);
    expect(me.body).toMatchObject({ signedIn: true, role: 'admin' });

    // The browser's own origin, here as a proxy that ends TLS would pass it on (https, same host).
    const sameHost = `https://${new URL(url).host}`;
    expect(await signOut({ ...json, 'x-csrf-token': csrf, origin: sameHost })).toMatchObject({
      status: 200,
      body: { signedIn: false },
    });
    const after = await fetch(`${url}/api/session`, { headers: { cookie } }).then(answer);
    expect(after.body).toMatchObject({ signedIn: false, role: 'public' });
  });

  it('refuses a body over 64 KiB unread', async () => {
    const res = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ token: 'x'.repeat(100_000) }),
    });
    expect(await answer(res)).toEqual({
      status: 413,
      body: { error: 'request bodies are limited to 64 KiB' },
    });
  });
});

describe('reads', () => {
  it('are the caller’s own: the public and a blue team get the server’s refusal of errors, in words', async () => {
    const blue = await signIn(tokens.blue);
    const asBlue = await fetch(`${url}/api/errors`, { headers: { cookie: blue.cookie } }).then(
      answer,
    );
    expect(asBlue.status).toBe(403);
    expect(asBlue.body).toMatchObject({ error: expect.stringMatching(/admin/) });
    const asPublic = await fetch(`${url}/api/errors`).then(answer);
    expect(asPublic.status).toBe(401);

    const admin = await signIn(tokens.admin);
    const get = (query: string) =>
      fetch(`${url}/api/errors?${query}`, { headers: { cookie: admin.cookie } }).then(answer);
    expect(await get('')).toEqual({ status: 200, body: { errors: [], nextPage: null } });
    expect(await get('team=abc')).toEqual({
      status: 400,
      body: { error: 'team: expected an id (a whole number above 0), got "abc"' },
    });
    expect(await get('kind=fatal')).toEqual({
      status: 400,
      body: {
        error:
          'kind: expected one of timeout, content, credentials, connection, other, no_runner, got "fatal"',
      },
    });
    expect(await get('limit=5000')).toEqual({
      status: 400,
      body: { error: 'limit: expected a whole number from 1 to 500, got "5000"' },
    });
    expect(await get('page=garbage')).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^page_token: malformed/) },
    });
  });

  it('an unknown API path is a JSON 404; any other path is the front end, under a strict CSP', async () => {
    expect(await fetch(`${url}/api/nothing`).then(answer)).toEqual({
      status: 404,
      body: { error: 'no such API: GET /api/nothing' },
    });
    const page = await fetch(`${url}/scoreboard`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"></div>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});

/** Opens the live status stream and reads until its first event, which it returns. */
async function firstEvent(headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/status/stream`, { headers, signal: controller.signal });
  if (res.status !== 200) return { res, event: undefined, close: () => controller.abort() };
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (!text.includes('\n\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  return { res, event: text, close: () => controller.abort() };
}

describe('the live status stream', () => {
  it('starts with the snapshot the caller may see, and holds at most its share of streams', async () => {
    const pub = await firstEvent();
    expect(pub.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(pub.event).toMatch(/^event: snapshot\ndata: \[.*"name":"www".*\]\nretry: 2000\n\n$/s);
    expect(pub.event).not.toContain('"name":"db"');
    pub.close();

    const { cookie } = await signIn(tokens.blue);
    const first = await firstEvent({ cookie });
    expect(first.event).toContain('"name":"db"');
    const second = await firstEvent({ cookie });
    // The third is refused as an event (an EventSource never shows a refused answer's body).
    const third = await firstEvent({ cookie });
    expect(third.event).toBe(
      'event: failure\ndata: {"status":429,"error":"at most 2 live pages per browser: close another tab"}\n\n',
    );
    third.close();
    // Closing one gives its slot back.
    first.close();
    await expect
      .poll(async () => {
        const again = await firstEvent({ cookie });
        again.close();
        return again.event?.split('\n')[0];
      })
      .toBe('event: snapshot');
    second.close();
  });
});

/** A live stream's events, one at a time, parsed (heartbeat comments skipped). */
async function openStream(path: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(`${url}${path}`, { headers, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  async function next(): Promise<{ event: string; data: any }> {
    for (;;) {
      const end = text.indexOf('\n\n');
      if (end >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        if (block.startsWith(':')) continue;
        const field = (name: string) =>
          block
            .split('\n')
            .filter((line) => line.startsWith(`${name}: `))
            .map((line) => line.slice(name.length + 2))
            .join('\n');
        return { event: field('event'), data: JSON.parse(field('data')) };
      }
      const { value, done } = await reader.read();
      if (done) throw new Error(`${path} ended`);
      text += value;
    }
  }
  return { next, close: () => controller.abort() };
}

/** A new round as the scheduler records one (its time now, in milliseconds like the scheduler's). */
async function newRound(): Promise<Date> {
  const { rows } = await sql.query<{ started_at: Date }>(
    "INSERT INTO round (started_at) VALUES (date_trunc('milliseconds', clock_timestamp())) RETURNING started_at",
  );
  return rows[0]!.started_at;
}

/** Alpha's hidden db scored `result` in the round at `at`, as a check runner reports it. */
async function scoreDb(at: Date, result: number) {
  await runner.finishServiceChecks({
    entries: [
      { serviceId: dbServiceId, result, requestId: `db@${at.toISOString()}`, roundTime: at },
    ],
  });
}

describe('the live scoreboard', () => {
  it('sends the scoreboard at once, as GET /api/scoreboard answers it, and again after a round is scored', async () => {
    const stream = await openStream('/api/scoreboard/stream?rounds=5');
    try {
      const first = await stream.next();
      expect(first.event).toBe('scoreboard');
      expect(first.data).toEqual(
        await fetch(`${url}/api/scoreboard?rounds=5`).then((r) => r.json()),
      );
      const alphaPoints = (board: any): number =>
        board.teams.find((t: any) => t.teamId === hiddenTeamId).points;

      const at = await newRound();
      await scoreDb(at, 1);
      // Boards come as the server sees changes (the round, then its score): read to the score.
      let board = (await stream.next()).data;
      while (alphaPoints(board) === alphaPoints(first.data)) board = (await stream.next()).data;
      expect(alphaPoints(board)).toBe(alphaPoints(first.data) + 100);
      expect(board.latestRoundTime).toBe(at.toISOString());
      const alpha = board.teams.find((t: any) => t.teamId === hiddenTeamId);
      expect(alpha).toMatchObject({ penaltyPoints: 0, adjustmentPoints: 0 });
      expect(alpha.recentRounds.at(-1)).toEqual({
        round: board.rounds,
        time: at.toISOString(),
        points: 100,
        penaltyPoints: 0,
      });
      // The public is told the team's total, never the hidden service it came from.
      expect(alpha.services.map((s: any) => s.name)).toEqual(['www']);
      expect(alpha.services[0]).toMatchObject({
        lastStatus: null,
        penaltyPoints: 0,
        roundsPartial: 0,
      });
    } finally {
      stream.close();
    }
  });

  it('says a bad parameter as a failure event', async () => {
    const stream = await openStream('/api/scoreboard/stream?rounds=500');
    expect(await stream.next()).toEqual({
      event: 'failure',
      data: { status: 400, error: 'rounds: expected a whole number from 0 to 100, got "500"' },
    });
    stream.close();
  });
});

describe('re-scoring a round', () => {
  it('counts a round again under corrected points, for the white team alone, and says a bad request in words', async () => {
    const admin = await signIn(tokens.admin);
    const at = await newRound();
    await scoreDb(at, 1);
    const post = (who: { cookie: string; csrf: string }, body: unknown) =>
      fetch(`${url}/api/rescores`, {
        method: 'POST',
        headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, ...json },
        body: JSON.stringify(body),
      }).then(answer);

    // db was meant to be worth 250: the white team corrects it, then counts the round again.
    const patched = await fetch(`${url}/api/services/${dbServiceId}`, {
      method: 'PATCH',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, ...json },
      body: JSON.stringify({ points: 250 }),
    });
    expect(patched.status).toBe(200);
    const done = await post(admin, { roundTime: at.toISOString(), reason: 'db is worth 250' });
    expect(done).toEqual({
      status: 200,
      body: {
        services: 1,
        changed: [{ teamId: hiddenTeamId, pointsBefore: 100, pointsAfter: 250 }],
        auditId: expect.any(Number),
      },
    });
    const audit = (await fetch(`${url}/api/audit`, { headers: { cookie: admin.cookie } }).then(
      (r) => r.json(),
    )) as { entries: { id: number; action: string; reason: string }[] };
    expect(audit.entries[0]).toMatchObject({
      id: (done.body as { auditId: number }).auditId,
      action: 'rescore_round',
      reason: 'db is worth 250',
    });

    const blue = await signIn(tokens.blue);
    const refused = await post(blue, { roundTime: at.toISOString(), reason: 'more please' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: expect.stringMatching(/admin/) });

    expect(await post(admin, { roundTime: 'yesterday', reason: 'x' })).toEqual({
      status: 400,
      body: { error: 'roundTime: expected the round’s time, e.g. 2026-12-01T10:00:00Z' },
    });
    expect(await post(admin, { roundTime: at.toISOString() })).toEqual({
      status: 400,
      body: { error: 'reason: expected text' },
    });
    expect(await post(admin, [])).toEqual({ status: 400, body: { error: 'send a JSON object' } });
    // The server's own refusals, in its words.
    expect(await post(admin, { roundTime: at.toISOString(), reason: '' })).toEqual({
      status: 400,
      body: { error: 'reason: must not be empty' },
    });
    expect(await post(admin, { roundTime: '2020-01-01T00:00:00Z', reason: 'x' })).toEqual({
      status: 404,
      body: { error: 'round 2020-01-01T00:00:00.000Z not found' },
    });
    // A write without the session's CSRF token changes nothing.
    expect(
      await post(
        { cookie: admin.cookie, csrf: 'guess' },
        { roundTime: at.toISOString(), reason: 'x' },
      ),
    ).toMatchObject({ status: 403, body: { error: expect.stringMatching(/CSRF token/) } });
  });
});

describe('editing a service', () => {
  it('sends only the fields named, refuses unknown fields and wrong types in words, and needs the CSRF token', async () => {
    const { cookie, csrf } = await signIn(tokens.admin);
    const services = (await fetch(`${url}/api/services`, { headers: { cookie } }).then((r) =>
      r.json(),
    )) as { id: number; name: string; hasPassword: boolean; password?: string }[];
    const www = services.find((s) => s.name === 'www')!;
    // The browser is told a password is set, never what it is.
    expect(www).not.toHaveProperty('password');
    const patch = (body: unknown, headers: Record<string, string> = { 'x-csrf-token': csrf }) =>
      fetch(`${url}/api/services/${www.id}`, {
        method: 'PATCH',
        headers: { cookie, ...json, ...headers },
        body: JSON.stringify(body),
      }).then(answer);
    expect(await patch({ administrativelyDown: true }, {})).toMatchObject({ status: 403 });
    expect(await patch({ colour: 'red' })).toMatchObject({
      status: 400,
      body: {
        error: expect.stringMatching(/^colour: not a field the console edits; editable: name, /),
      },
    });
    expect(await patch({ port: 'eighty' })).toEqual({
      status: 400,
      body: { error: 'port: expected a whole number' },
    });
    expect(await patch({ port: 70000 })).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/port/) },
    });
    const saved = await patch({ administrativelyDown: true, downReason: 'patching' });
    expect(saved).toMatchObject({
      status: 200,
      body: { id: www.id, administrativelyDown: true, downReason: 'patching', port: 80 },
    });

    // Check settings in the competition file's spelling: their shape checked here, their values
    // by scoring, each refusal naming the field.
    expect(await patch({ checkSettings: { expect: [{ contains: 'a', regex: 'b' }] } })).toEqual({
      status: 400,
      body: {
        error: 'checkSettings.expect[0]: must hold exactly one of contains, exact, regex, sha256',
      },
    });
    expect(await patch({ checkSettings: { http: { status: '200' } } })).toEqual({
      status: 400,
      body: { error: 'checkSettings.http.status: must be a list' },
    });
    expect(await patch({ checkSettings: { dns: { record_type: 'PTR' } } })).toEqual({
      status: 400,
      body: {
        error:
          'service.check_settings.dns.record_type: must be one of A, AAAA, MX, TXT, CNAME, NS, SOA, got "PTR"',
      },
    });
    const settings = {
      expect: [{ contains: 'Team 01' }, { regex: 'build [0-9]+' }],
      http: { status: [200], headers: [{ name: 'server', contains: 'nginx' }], max_redirects: 1 },
    };
    expect(await patch({ checkSettings: settings })).toMatchObject({
      status: 200,
      body: { id: www.id, checkSettings: settings },
    });
    expect(await patch({ checkSettings: {} })).toMatchObject({
      status: 200,
      body: { id: www.id, checkSettings: {} },
    });
  });
});

describe('password change requests', () => {
  it("names a credential pool entry's request by its pool, never a service 0", async () => {
    const options = { token: tokens.admin };
    const admin = createPromiseClient(AdminServiceService, scoring.address, options);
    const changes = createPromiseClient(PasswordChangeServiceService, scoring.address, options);
    try {
      const { credentialPool } = await admin.createCredentialPool({
        name: 'console-users',
        credentials: [{ username: 'dana', password: 'old' }],
      });
      await changes.requestPasswordChange({
        serviceId: 0,
        credentialPoolId: credentialPool!.id,
        username: 'dana',
        password: 'new',
      });
    } finally {
      admin.close();
      changes.close();
    }
    const { cookie } = await signIn(tokens.admin);
    const list = (await fetch(`${url}/api/password-changes`, { headers: { cookie } }).then(
      answer,
    )) as { status: number; body: Record<string, unknown>[] };
    expect(list.status).toBe(200);
    expect(list.body.find((p) => p.username === 'dana')).toMatchObject({
      serviceId: 0,
      poolName: 'console-users',
      // Nobody's services use the pool: no one team it belongs to.
      teamId: 0,
    });
    expect(JSON.stringify(list.body)).not.toContain('new');
  });
});
