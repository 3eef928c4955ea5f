import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NO_CHECK_SETTINGS,
  type ServiceCheckSettings,
  type HttpSettings,
} from '@checkwire/check-settings';
import {
  MAX_HTTP_BODY_BYTES,
  MAX_HTTP_HEADER_BYTES,
  type CheckResult,
  type CheckTarget,
} from '../src/index.js';
import { startFloodServer, writtenBound, type FloodOptions } from './flood-server.js';
import { PASSWORD, SESSION, USER, startSite, type Site } from './http-site.js';
import { answerOnceServer, check, closedPort, silentTcpServer, target } from './helpers.js';

// The HTTP(S) check's settings (status, header rules, redirects, TLS verification, form login)
// against real Node http/https servers on 127.0.0.1, hostile ones beside healthy checks, and a
// verified HTTPS check run in a child process that trusts the test's CA (NODE_EXTRA_CA_CERTS).

/** A time limit far above what any case here takes: only the timeout cases end by it. */
const OPTIONS = { timeoutMs: 10_000 };

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const http = check('http');
const https = check('https');

function withHttp(
  over: Partial<HttpSettings>,
  rest: Partial<ServiceCheckSettings> = {},
): ServiceCheckSettings {
  return { ...NO_CHECK_SETTINGS, ...rest, http: { ...NO_CHECK_SETTINGS.http, ...over } };
}

let site: Site;
let port: number;
let base: string;
beforeAll(async () => {
  site = await startSite();
  closers.push(() => site.close());
  ({ port, base } = site);
});

const at = (path: string, over: Partial<CheckTarget> = {}) =>
  target(port, { url: `${base}${path}`, ...over });

describe('status', () => {
  it('accepts any 2xx/3xx by default, and only the listed statuses when set', async () => {
    expect(await http(at('/created'), OPTIONS)).toEqual({
      up: true,
      message: `${base}/created answered HTTP 201`,
    });
    expect(await http(at('/hop/0'), OPTIONS)).toEqual({
      up: true,
      message: `${base}/hop/0 answered HTTP 302`,
    });
    const only200 = withHttp({ status: [200] });
    expect(await http(at('/', { settings: only200 }), OPTIONS)).toMatchObject({ up: true });
    expect(await http(at('/created', { settings: only200 }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `${base}/created answered HTTP 201`,
      detail: 'accepted: 200',
    });
    // A status outside 2xx/3xx may be the one expected (a page that must say 404).
    const only404 = withHttp({ status: [404] });
    expect(await http(at('/missing', { settings: only404 }), OPTIONS)).toEqual({
      up: true,
      message: `${base}/missing answered HTTP 404`,
    });
    expect(await http(at('/missing'), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `${base}/missing answered HTTP 404`,
    });
  });
});

describe('headers', () => {
  it('holds when every rule holds for its header; a missing or wrong header is content', async () => {
    const rules = (headers: HttpSettings['headers']) =>
      at('/', { settings: withHttp({ headers }) });
    expect(
      await http(
        rules([
          { name: 'x-team', rule: { exact: 'team 7' } },
          { name: 'content-type', rule: { regex: '^text/html' } },
        ]),
        OPTIONS,
      ),
    ).toEqual({ up: true, message: `${base}/ answered HTTP 200` });
    expect(
      await http(rules([{ name: 'x-powered-by', rule: { contains: 'PHP' } }]), OPTIONS),
    ).toEqual({
      up: false,
      kind: 'content',
      message: `${base}/: no x-powered-by header`,
      detail: 'expected: contains "PHP"',
    });
    expect(await http(rules([{ name: 'x-team', rule: { contains: 'team 8' } }]), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `${base}/: header x-team fails the rule (contains "team 8")`,
      detail: 'got: "team 7"',
    });
  });
});

describe('redirects', () => {
  it('takes a 3xx as the final answer with maxRedirects 0', async () => {
    expect(await http(at('/hop/2', { expect: 'Team 7' }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `${base}/hop/2 does not contain the expected text`,
      detail: 'expected: Team 7',
    });
  });

  it('follows up to maxRedirects, and fails one more as content', async () => {
    const settings = withHttp({ maxRedirects: 3 });
    expect(await http(at('/hop/2', { expect: 'Team 7', settings }), OPTIONS)).toEqual({
      up: true,
      message: `${base}/ answered HTTP 200 (after 3 redirects from ${base}/hop/2)`,
    });
    expect(await http(at('/hop/3', { settings }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `${base}/hop/3: more than 3 redirects`,
    });
    expect(await http(at('/loop', { settings }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `${base}/loop: more than 3 redirects`,
    });
  });

  it('follows http to https, and keeps the cookies set on the way', async () => {
    const settings = withHttp({ maxRedirects: 1 });
    const secure = `https://127.0.0.1:${site.tlsPort}/`;
    expect(
      await http(at(`/to?u=${encodeURIComponent(secure)}`, { expect: 'shop', settings }), OPTIONS),
    ).toMatchObject({
      up: true,
      message: `${secure} answered HTTP 200 (after 1 redirect from ${base}/to?u=${encodeURIComponent(secure)})`,
    });
    expect(
      await http(at('/cookie-then-redirect', { expect: 'Welcome', settings }), OPTIONS),
    ).toEqual({
      up: true,
      message: `${base}/dashboard answered HTTP 200 (after 1 redirect from ${base}/cookie-then-redirect)`,
    });
  });

  it('fails a redirect to nowhere as the hop it reached', async () => {
    const settings = withHttp({ maxRedirects: 1 });
    const closed = `http://127.0.0.1:${await closedPort()}/`;
    expect(await http(at(`/to?u=${encodeURIComponent(closed)}`, { settings }), OPTIONS)).toEqual({
      up: false,
      kind: 'connection',
      message: `${closed}: ECONNREFUSED`,
      detail: expect.stringContaining('ECONNREFUSED') as string,
    });
    expect(await http(at('/to?u=ftp%3A%2F%2Fexample.test%2F', { settings }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `${base}/to?u=ftp%3A%2F%2Fexample.test%2F: redirects to "ftp://example.test/", not an http(s) URL`,
    });
  });
});

describe('body', () => {
  it('returns the body it read as content when the settings have content rules', async () => {
    const settings = withHttp({}, { expect: [{ contains: 'shop' }] });
    expect(await http(at('/', { expect: 'Team 7', settings }), OPTIONS)).toEqual({
      up: true,
      message: `${base}/ answered HTTP 200`,
      content: Buffer.from('<h1>Team 7 shop</h1>'),
    });
    expect(await http(at('/', { expect: 'Team 8', settings }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `${base}/ does not contain the expected text`,
      detail: 'expected: Team 8',
    });
  });
});

describe('verifyTls', () => {
  const verified = withHttp({ verifyTls: true });

  it('accepts any certificate when off (the default)', async () => {
    const url = `https://127.0.0.1:${site.selfSignedPort}/`;
    expect(await https(target(site.selfSignedPort, { url, expect: 'shop' }), OPTIONS)).toEqual({
      up: true,
      message: `${url} answered HTTP 200`,
    });
  });

  it('fails a self-signed or unknown certificate as content, with the reason', async () => {
    const selfSigned = `https://127.0.0.1:${site.selfSignedPort}/`;
    expect(
      await https(target(site.selfSignedPort, { url: selfSigned, settings: verified }), OPTIONS),
    ).toEqual({
      up: false,
      kind: 'content',
      message: `${selfSigned}: certificate not trusted: self-signed certificate`,
    });
    // Signed by the test's CA, which this process does not trust.
    const unknownCa = `https://127.0.0.1:${site.tlsPort}/`;
    expect(
      await https(target(site.tlsPort, { url: unknownCa, settings: verified }), OPTIONS),
    ).toEqual({
      up: false,
      kind: 'content',
      message: `${unknownCa}: certificate not trusted: unable to verify the first certificate`,
    });
  });

  /** The https check in a process that trusts the test's CA (read by Node at start only). */
  function trustingTheCa(t: Partial<CheckTarget>): Promise<CheckResult> {
    const runCheck = fileURLToPath(new URL('./run-check.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: site.caFile };
    const json = JSON.stringify({ ...t, settings: { http: { verifyTls: true } } });
    return new Promise((resolve, reject) =>
      execFile(
        tsx,
        [runCheck, 'https', String(OPTIONS.timeoutMs), json],
        { env },
        (err, out, stderr) =>
          err === null ? resolve(JSON.parse(out) as CheckResult) : reject(new Error(stderr)),
      ),
    );
  }

  it('is up with a certificate the system trusts, for its host name', async () => {
    const url = `https://127.0.0.1:${site.tlsPort}/`;
    const other = `https://127.0.0.2:${site.otherIpPort}/`;
    const [good, wrongName] = await Promise.all([
      trustingTheCa({ url, expect: 'shop' }),
      trustingTheCa({ url: other }),
    ]);
    expect(good).toEqual({ up: true, message: `${url} answered HTTP 200` });
    expect(wrongName).toEqual({
      up: false,
      kind: 'content',
      message: `${other}: certificate not trusted: Hostname/IP does not match certificate's altnames: IP: 127.0.0.2 is not in the cert's list: 127.0.0.1`,
    });
  });
});

describe('form login', () => {
  const form = (path: string, maxRedirects = 0) =>
    withHttp({
      maxRedirects,
      login: { url: path, usernameField: 'user', passwordField: 'pass', fields: { csrf: 'x1' } },
    });
  const service = (settings: ServiceCheckSettings, password = PASSWORD) =>
    at('/dashboard', { username: USER, password, expect: 'Welcome alice', settings });

  it('posts the form, keeps its session cookie and judges the page behind it', async () => {
    const result = await http(service(form('/login')), OPTIONS);
    expect(result).toEqual({
      up: true,
      message: `${base}/dashboard answered HTTP 200 (logged in at ${base}/login)`,
    });
    expect(site.seen.get('login method')).toBe('POST');
    expect(site.seen.get('login type')).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(site.seen.get('login body'))).toEqual(
      new URLSearchParams({ user: USER, pass: PASSWORD, csrf: 'x1' }),
    );
    // Only the cookie whose Path covers /dashboard.
    expect(site.seen.get('dashboard cookie')).toBe(SESSION);
  });

  it('follows the login redirect (303 → GET) within maxRedirects, to an absolute url too', async () => {
    expect(await http(service(form(`${base}/login`, 2)), OPTIONS)).toEqual({
      up: true,
      message: `${base}/dashboard answered HTTP 200 (logged in at ${base}/login)`,
    });
    expect(site.seen.get('dashboard cookie')).toBe(SESSION);
  });

  it('keeps a login url given as a path on the origin of the service', async () => {
    for (const [path, origin] of [
      ['//login', 'http://login'],
      ['/\\evil.example/x', 'http://evil.example'],
      ['\\\\evil.example/x', 'http://evil.example'],
      ['https:evil.example/login', 'https://evil.example'],
      [' http://evil.example/login', 'http://evil.example'],
    ])
      expect(await http(service(form(path!)), OPTIONS)).toEqual({
        up: false,
        kind: 'other',
        message: `login url ${JSON.stringify(path)} is a path that leaves the service's origin (${base}) for ${origin}`,
      });
  });

  it('fails a refused login as credentials, never quoting the password', async () => {
    const wrong = await http(service(form('/login'), 'not-it'), OPTIONS);
    expect(wrong).toEqual({
      up: false,
      kind: 'credentials',
      message: `${base}/login: login refused (HTTP 401)`,
    });
    const forbidden = await http(service(form('/login-forbidden')), OPTIONS);
    expect(forbidden).toMatchObject({ up: false, kind: 'credentials' });
    expect(JSON.stringify([wrong, forbidden])).not.toMatch(/not-it|pa55|secret/);
  });

  it('fails other login answers and a wrong page as content', async () => {
    expect(await http(service(form('/login-broken')), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `${base}/login-broken: login answered HTTP 500`,
    });
    // No session: the dashboard sends the check back to the login page.
    const settings = withHttp({ maxRedirects: 1 });
    expect(await http(service(settings), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `${base}/sign-in does not contain the expected text`,
      detail: 'expected: Welcome alice',
    });
  });

  it('masks the password should a server echo it into a redirect', async () => {
    const echo = `${base}/?p=${encodeURIComponent(PASSWORD)}`;
    const t = at(`/to?u=${encodeURIComponent(echo)}`, {
      password: PASSWORD,
      expect: 'Team 8',
      settings: withHttp({ maxRedirects: 1 }),
    });
    expect(await http(t, OPTIONS)).toMatchObject({
      up: false,
      kind: 'content',
      message: `${base}/?p=*** does not contain the expected text`,
    });
  });

  it('masks the password echoed into a redirect as the URL parser writes it', async () => {
    // In a query the parser encodes a blank (%20) but not & = {: no encoded form of the password.
    for (const password of [PASSWORD, 'a b{']) {
      const t = at(`/to?u=${encodeURIComponent(`${base}/?p=${password}`)}`, {
        password,
        expect: 'Team 8',
        settings: withHttp({ maxRedirects: 1 }),
      });
      expect(await http(t, OPTIONS)).toMatchObject({
        up: false,
        kind: 'content',
        message: `${base}/?p=*** does not contain the expected text`,
      });
    }
  });

  it('never sends the form to another origin on a 307: another host, scheme or port', async () => {
    const result = await http(service(form('/login-elsewhere', 2)), OPTIONS);
    expect(result).toEqual({
      up: false,
      kind: 'content',
      message: `${base}/login-elsewhere: a 307 redirect would send the form to another origin (http://localhost:${port})`,
    });
    // The same host: over HTTPS (the site's, which would take the form), on a port nobody listens on.
    const closed = await closedPort();
    for (const to of [`https://127.0.0.1:${site.tlsPort}`, `http://127.0.0.1:${closed}`]) {
      const path = `/login-to?u=${encodeURIComponent(`${to}/login`)}`;
      expect(await http(service(form(path, 2)), OPTIONS)).toEqual({
        up: false,
        kind: 'content',
        message: `${base}${path}: a 307 redirect would send the form to another origin (${to})`,
      });
    }
    // The same origin still gets it.
    const same = `/login-to?u=${encodeURIComponent(`${base}/login`)}`;
    expect(await http(service(form(same, 2)), OPTIONS)).toMatchObject({ up: true });
  });
});

describe('refused and timeout', () => {
  it('fails a closed port as connection', async () => {
    const closed = await closedPort();
    expect(
      await http(target(closed, { url: `http://127.0.0.1:${closed}/` }), OPTIONS),
    ).toMatchObject({
      up: false,
      kind: 'connection',
      message: `http://127.0.0.1:${closed}/: ECONNREFUSED`,
    });
  });

  it('fails a server that never answers as timeout, a login as well', async () => {
    const silent = await silentTcpServer();
    closers.push(() => silent.close());
    const url = `http://127.0.0.1:${silent.port}/`;
    const options = { timeoutMs: 300 };
    expect(await http(target(silent.port, { url }), options)).toEqual({
      up: false,
      kind: 'timeout',
      message: `${url}: timed out`,
    });
    const login = withHttp({
      login: { url: '/login', usernameField: 'u', passwordField: 'p', fields: {} },
    });
    expect(
      await http(target(silent.port, { url, password: PASSWORD, settings: login }), options),
    ).toEqual({ up: false, kind: 'timeout', message: `${url}login: timed out` });
  });
});

describe('hostile answers', () => {
  const OK = 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n';
  async function flood(options: FloodOptions) {
    const server = await startFloodServer(options);
    closers.push(() => server.close());
    return { ...server, url: `http://127.0.0.1:${server.port}/` };
  }
  const endlessBody: FloodOptions = { waitForClient: true, preamble: OK, flood: 'a'.repeat(1024) };
  const endlessHeaders: FloodOptions = {
    waitForClient: true,
    preamble: 'HTTP/1.1 200 OK\r\nX-Filler: ',
    flood: 'f'.repeat(1024),
  };
  const redirectTo = (url: string) =>
    at(`/to?u=${encodeURIComponent(url)}`, {
      expect: 'Team 7',
      settings: withHttp({ maxRedirects: 2 }),
    });
  const healthy = () => http(at('/', { expect: 'Team 7' }), OPTIONS);

  it('reads an endless body no further than its limit when it is the content', async () => {
    const server = await flood(endlessBody);
    const settings = withHttp({}, { reject: [{ contains: 'error' }] });
    const [result, beside] = await Promise.all([
      http(target(server.port, { url: server.url, settings }), OPTIONS),
      healthy(),
    ]);
    const { content, ...rest } = result as Extract<CheckResult, { up: true }>;
    expect(rest).toEqual({
      up: true,
      message: `${server.url} answered HTTP 200, its first ${MAX_HTTP_BODY_BYTES} bytes read`,
    });
    // Compared as bytes (a deep equality over a MiB is slow).
    expect(Buffer.alloc(MAX_HTTP_BODY_BYTES, 'a').equals(content as Buffer)).toBe(true);
    expect(beside).toMatchObject({ up: true });
    expect(await server.hungUp).toBeLessThanOrEqual(
      writtenBound(OK.length + MAX_HTTP_BODY_BYTES + 100),
    );
  });

  it('bounds a redirect to an endless body or endless headers like the first answer', async () => {
    const body = await flood(endlessBody);
    const headers = await flood(endlessHeaders);
    const [toBody, toHeaders, beside] = await Promise.all([
      http(redirectTo(body.url), OPTIONS),
      http(redirectTo(headers.url), OPTIONS),
      healthy(),
    ]);
    expect(toBody).toEqual({
      up: false,
      kind: 'content',
      message: `${body.url} does not contain the expected text in its first ${MAX_HTTP_BODY_BYTES} bytes`,
      detail: 'expected: Team 7',
    });
    expect(toHeaders).toEqual({
      up: false,
      kind: 'content',
      message: `${headers.url}: headers longer than ${MAX_HTTP_HEADER_BYTES} bytes`,
    });
    expect(beside).toMatchObject({ up: true });
    expect(await body.hungUp).toBeLessThanOrEqual(
      writtenBound(OK.length + MAX_HTTP_BODY_BYTES + 100),
    );
    expect(await headers.hungUp).toBeLessThanOrEqual(writtenBound(MAX_HTTP_HEADER_BYTES));
  });

  it('fails an answer that is not HTTP, or a malformed body, as content', async () => {
    const answers = {
      ssh: 'SSH-2.0-OpenSSH_9.6\r\n',
      status: 'HTTP/1.1 abc Nope\r\n\r\n',
      chunk: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nTeam 7\r\n',
    };
    const servers = await Promise.all(Object.values(answers).map((a) => answerOnceServer(a)));
    for (const s of servers) closers.push(() => s.close());
    const [ssh, status, chunk] = servers.map((s) => `http://127.0.0.1:${s.port}/`);
    const [a, b, c, beside] = await Promise.all([
      http(target(0, { url: ssh }), OPTIONS),
      http(target(0, { url: status }), OPTIONS),
      http(target(0, { url: chunk, expect: 'Team 7' }), OPTIONS),
      healthy(),
    ]);
    const malformed = (url: string | undefined, code: string): CheckResult => ({
      up: false,
      kind: 'content',
      message: `${url}: not an HTTP answer (${code})`,
    });
    expect(a).toEqual(malformed(ssh, 'HPE_INVALID_CONSTANT'));
    expect(b).toEqual(malformed(status, 'HPE_INVALID_STATUS'));
    expect(c).toEqual(malformed(chunk, 'HPE_INVALID_CHUNK_SIZE'));
    expect(beside).toMatchObject({ up: true });
  });
});
