import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_CHECK_SETTINGS } from '@checkwire/check-settings';
import { makeTlsFixtures } from '@checkwire/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONVERSATION_BYTES, MAX_HTTP_HEADER_BYTES } from '../src/index.js';
import { WsmanFaultError } from '../src/winrm.errors.js';
import { WinrmShell } from '../src/winrm.shell.js';
import { MAX_ENVELOPE_BYTES } from '../src/winrm.soap.js';
import { WsmanTransport } from '../src/winrm.transport.js';
import { startFloodServer, writtenBound, type FloodOptions } from './flood-server.js';
import {
  answerOnceServer,
  check,
  closedPort,
  listen,
  OPTIONS,
  portOf,
  silentTcpServer,
  target,
} from './helpers.js';
import { startWinrmStandIn, type WinrmStandIn } from './winrm-standin.js';

// The winrm check against a stand-in WinRM server written from MS-WSMV (no WinRM server can be
// installed on Debian; see winrm-standin.ts), which runs the commands with /bin/sh in a scratch
// folder: over HTTP and HTTPS, a closed port, a silent server and hostile ones beside a healthy
// check.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const winrm = check('winrm');
const winrmHttps = check('winrm-https');
const login = { username: 'Administrator', password: 'pw-1 with spaces: & <xml>' };
const SOAP = 'http://www.w3.org/2003/05/soap-envelope';
const PYWINRM = '/usr/lib/python3/dist-packages/winrm/__init__.py';
let server: WinrmStandIn;
let tlsServer: WinrmStandIn;
let dir: string;

const total = (s: WinrmStandIn) => [...s.counts.values()].reduce((a, b) => a + b, 0);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'checkwire-winrm-'));
  closers.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'motd.txt'), 'Team 7 web\n');
  server = await startWinrmStandIn({ ...login, cwd: dir });
  const tls = makeTlsFixtures();
  tlsServer = await startWinrmStandIn({
    ...login,
    cwd: dir,
    tls: { cert: tls.serverCert, key: tls.serverKey },
  });
  closers.push(
    () => server.close(),
    () => tlsServer.close(),
    () => tls.remove(),
  );
});

/** An HTTP server that answers every request with `status` and a SOAP `body`. */
async function soapServer(status: number, body: string): Promise<number> {
  const s: Server = await listen(
    createServer((req, res) => {
      req.resume();
      res.writeHead(status, { 'Content-Type': 'application/soap+xml;charset=UTF-8' }).end(body);
    }),
  );
  closers.push(() => new Promise((r) => s.close(r)));
  return portOf(s);
}

const fault = (subcode: string, reason: string) =>
  `<s:Envelope xmlns:s="${SOAP}"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value>` +
  `<s:Subcode><s:Value>${subcode}</s:Value></s:Subcode></s:Code>` +
  `<s:Reason><s:Text xml:lang="en-US">${reason}</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`;

describe('winrm', () => {
  it('is up when the command exits 0 with the expected text, its output the content', async () => {
    const t = target(server.port, { ...login, info: 'cat motd.txt', expect: 'Team 7' });
    expect(await winrm(t, OPTIONS)).toEqual({
      up: true,
      message: 'winrm 127.0.0.1: the command exited 0 with the expected text',
      content: Buffer.from('Team 7 web\n'),
    });
    expect(await winrm({ ...t, info: 'cat motd.txt >&2' }, OPTIONS)).toMatchObject({ up: true });
    expect(await winrm({ ...t, expect: '' }, OPTIONS)).toMatchObject({
      up: true,
      message: 'winrm 127.0.0.1: the command exited 0',
    });
    // Each check signalled its command and deleted its shell.
    expect(server.openShells()).toBe(0);
    expect([server.counts.get('Signal'), server.counts.get('Delete')]).toEqual([3, 3]);
  });

  it('reads output spread over several Receives, and asks again after one times out', async () => {
    const receives = server.counts.get('Receive') ?? 0;
    const t = target(server.port, {
      ...login,
      info: "head -c 400000 /dev/zero | tr '\\0' x; echo Team 7",
      expect: 'Team 7',
    });
    const result = await winrm(t, OPTIONS);
    expect(result).toMatchObject({ up: true });
    expect(result.up && result.content?.length).toBe(400_007);
    // Within MaxEnvelopeSize (153600 bytes), 400 KB of output take at least 4 Receives.
    expect((server.counts.get('Receive') ?? 0) - receives).toBeGreaterThanOrEqual(4);

    server.timeOutReceives(2);
    const timedOut = server.counts.get('Receive') ?? 0;
    const again = await winrm(target(server.port, { ...login, info: 'cat motd.txt' }), OPTIONS);
    expect(again).toMatchObject({ up: true, content: Buffer.from('Team 7 web\n') });
    expect((server.counts.get('Receive') ?? 0) - timedOut).toBeGreaterThanOrEqual(3);
  });

  it('runs over HTTPS without verifying the certificate, unless the settings ask to', async () => {
    const t = target(tlsServer.port, { ...login, info: 'cat motd.txt', expect: 'Team 7' });
    expect(await winrmHttps(t, OPTIONS)).toMatchObject({
      up: true,
      message: 'winrm-https 127.0.0.1: the command exited 0 with the expected text',
    });
    // Verified (the stand-in's CA is not a system one): refused before any request is sent.
    const before = total(tlsServer);
    const verify = { ...NO_CHECK_SETTINGS, http: { ...NO_CHECK_SETTINGS.http, verifyTls: true } };
    expect(await winrmHttps({ ...t, settings: verify }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'winrm-https 127.0.0.1: certificate not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
    });
    expect(total(tlsServer)).toBe(before);
    expect(await winrmHttps({ ...t, port: server.port }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'winrm-https 127.0.0.1: TLS handshake failed (ERR_SSL_WRONG_VERSION_NUMBER)',
    });
  });

  // A second client, written by others from the same specification: the stand-in must satisfy it
  // too: Debian's python3-winrm (pywinrm), which `npm test` installs.
  it('speaks what pywinrm expects', async () => {
    expect(
      existsSync(PYWINRM),
      'python3-winrm is not installed (apt-get install python3-winrm)',
    ).toBe(true);
    const script = [
      'import json, sys, winrm',
      'c = json.load(sys.stdin)',
      "r = winrm.Session(c['url'], auth=(c['username'], c['password']), transport='basic').run_cmd(c['command'])",
      "out = {'status': r.status_code, 'length': len(r.std_out), 'tail': r.std_out[-11:].decode(), 'stderr': r.std_err.decode()}",
      'try:',
      "  winrm.Session(c['url'], auth=(c['username'], 'wrong'), transport='basic').run_cmd('true')",
      'except Exception as e:',
      "  out['wrong'] = type(e).__name__",
      'print(json.dumps(out))',
    ].join('\n');
    // The password goes to pywinrm on stdin, never in its arguments.
    const stdout = await new Promise<string>((resolve, reject) => {
      // No proxy variables: requests would honour them, even for 127.0.0.1.
      const env = { PATH: '/usr/bin:/bin' };
      const python = execFile('/usr/bin/python3', ['-c', script], { env }, (err, out) =>
        err === null ? resolve(out) : reject(new Error(`pywinrm failed: ${err.message}`)),
      );
      python.stdin?.end(
        JSON.stringify({
          ...login,
          url: `http://127.0.0.1:${server.port}/wsman`,
          command: "head -c 300000 /dev/zero | tr '\\0' x; cat motd.txt; echo oops >&2; exit 4",
        }),
      );
    });
    expect(JSON.parse(stdout)).toEqual({
      status: 4,
      length: 300_011,
      tail: 'Team 7 web\n',
      stderr: 'oops\n',
      wrong: 'InvalidCredentialsError',
    });
    expect(server.openShells()).toBe(0);
  });

  it('reports a refused login without repeating the password', async () => {
    const t = target(server.port, { ...login, password: 'wrong', info: 'true' });
    expect(await winrm(t, OPTIONS)).toEqual({
      up: false,
      kind: 'credentials',
      message: 'winrm 127.0.0.1: login as Administrator refused (HTTP 401)',
    });
    const noBasic = await startWinrmStandIn({ ...login, cwd: dir, basic: false });
    closers.push(() => noBasic.close());
    expect(await winrm(target(noBasic.port, { ...login, info: 'true' }), OPTIONS)).toEqual({
      up: false,
      kind: 'credentials',
      message:
        'winrm 127.0.0.1: login as Administrator refused (HTTP 401; Basic not offered, only Negotiate)',
    });
    // A fault that echoes the password (or the Authorization header): masked.
    const basic = Buffer.from(`${login.username}:${login.password}`).toString('base64');
    const reason = `Access is denied for ${login.password.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')} (${basic})`;
    const denied = await soapServer(500, fault('w:AccessDenied', reason));
    expect(await winrm(target(denied, { ...login, info: 'true' }), OPTIONS)).toEqual({
      up: false,
      kind: 'credentials',
      message:
        'winrm 127.0.0.1: Create answered a SOAP fault w:AccessDenied: Access is denied for *** (***)',
    });
  });

  it('reports a failing command, a missing text, a fault and a bad command as content/other', async () => {
    const t = target(server.port, { ...login, info: 'cat motd.txt', expect: 'Team 9' });
    expect(await winrm(t, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: "winrm 127.0.0.1: the command's output does not contain the expected text",
      detail: 'expected: Team 9',
    });
    expect(await winrm({ ...t, info: 'cat missing.txt' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'winrm 127.0.0.1: the command exited with status 1',
    });
    expect(await winrm({ ...t, info: 'echo Team 9; exit 3' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'winrm 127.0.0.1: the command exited with status 3',
    });
    expect(server.openShells()).toBe(0);
    const busy = await soapServer(
      500,
      fault('w:QuotaLimit', 'The WS-Management service cannot process the request.'),
    );
    expect(await winrm({ ...t, port: busy }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message:
        'winrm 127.0.0.1: Create answered a SOAP fault w:QuotaLimit: The WS-Management service cannot process the request.',
    });
    const notFound = await answerOnceServer('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    closers.push(() => notFound.close());
    expect(await winrm({ ...t, port: notFound.port }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'winrm 127.0.0.1: Create answered HTTP 404',
    });
    for (const [over, message] of [
      [{ info: '' }, 'no command to run'],
      [{ info: 'echo \x07' }, 'the command holds a character XML cannot carry'],
      [{ username: 'a:b' }, 'a user name with ":" cannot log in with HTTP Basic'],
    ] as const) {
      expect(await winrm({ ...t, ...over }, OPTIONS)).toEqual({
        up: false,
        kind: 'other',
        message: `winrm 127.0.0.1: ${message}`,
      });
    }
  });

  it("answers an unknown shell with MS-WSMV's fault, which the client reads", async () => {
    const transport = new WsmanTransport(
      { scheme: 'http', host: '127.0.0.1', port: server.port, ...login, verifyTls: false },
      Date.now() + OPTIONS.timeoutMs,
    );
    const error = await new WinrmShell(transport, 1).receive('NO-SUCH-SHELL', 'X').catch((e) => e);
    expect(error).toBeInstanceOf(WsmanFaultError);
    expect((error as WsmanFaultError).fault).toEqual({
      code: 's:Sender',
      subcode: 'w:InvalidSelectors',
      reason:
        'The WS-Management service cannot process the request because the request contained invalid selectors for the resource.',
      wsmanCode: '2150858843',
    });
    transport.cut(new Error('done'));
  });

  it('reports a refused connection and a server that never answers', async () => {
    const t = { ...login, info: 'true' };
    expect(await winrm(target(await closedPort(), t), OPTIONS)).toMatchObject({
      up: false,
      kind: 'connection',
      message: 'winrm 127.0.0.1: ECONNREFUSED',
    });
    const silent = await silentTcpServer();
    closers.push(() => silent.close());
    expect(await winrm(target(silent.port, t), { timeoutMs: 300 })).toEqual({
      up: false,
      kind: 'timeout',
      message: 'winrm 127.0.0.1: timed out',
    });
  });

  const HTTP_OK = 'HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml;charset=UTF-8\r\n';
  const hostile: { name: string; server: FloodOptions; message: string; limitBytes: number }[] = [
    {
      name: 'a body of 1 GB announced',
      server: {
        waitForClient: true,
        preamble: `${HTTP_OK}Content-Length: 1000000000\r\n\r\n<s:Envelope>`,
        flood: 'x'.repeat(1024),
      },
      message: `winrm 127.0.0.1: an answer of 1000000000 bytes (more than ${MAX_ENVELOPE_BYTES})`,
      limitBytes: 200,
    },
    {
      name: 'an endless body',
      server: { waitForClient: true, preamble: `${HTTP_OK}\r\n<s:Envelope>`, flood: '<a/>' },
      message: `winrm 127.0.0.1: an answer longer than ${MAX_ENVELOPE_BYTES} bytes`,
      limitBytes: 200 + MAX_ENVELOPE_BYTES,
    },
    {
      name: 'endless chunks',
      server: {
        waitForClient: true,
        preamble: `${HTTP_OK}Transfer-Encoding: chunked\r\n\r\n`,
        flood: `400\r\n${'y'.repeat(1024)}\r\n`,
      },
      message: `winrm 127.0.0.1: an answer longer than ${MAX_ENVELOPE_BYTES} bytes`,
      limitBytes: 200 + 2 * MAX_ENVELOPE_BYTES,
    },
    {
      name: 'endless headers',
      server: { waitForClient: true, preamble: `${HTTP_OK}X-Filler: `, flood: 'f'.repeat(1024) },
      message: `winrm 127.0.0.1: headers longer than ${MAX_HTTP_HEADER_BYTES} bytes`,
      limitBytes: MAX_HTTP_HEADER_BYTES,
    },
    {
      name: 'no HTTP at all',
      server: { flood: '\x00\x01garbage\r\n' },
      message: 'winrm 127.0.0.1: not an HTTP answer (HPE_INVALID_CONSTANT)',
      limitBytes: 0,
    },
  ];

  const malformed: { name: string; body: string; message: string }[] = [
    {
      name: 'unbalanced XML',
      body: `<s:Envelope xmlns:s="${SOAP}"><s:Body><x></s:Body></s:Envelope>`,
      message: 'malformed XML: a mismatched end tag',
    },
    {
      name: 'entities that would expand (a DTD)',
      body: `<!DOCTYPE s [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><s:Envelope xmlns:s="${SOAP}"><s:Body>&b;</s:Body></s:Envelope>`,
      message: 'malformed XML: a document type declaration',
    },
    { name: 'HTML', body: '<html><body>IIS</body></html>', message: 'not a SOAP 1.2 envelope' },
    {
      name: 'a Create answer without a ShellId',
      body: `<s:Envelope xmlns:s="${SOAP}"><s:Body/></s:Envelope>`,
      message: 'no ShellId in the answer',
    },
  ];

  it('fails hostile and malformed answers and endless output as content, while a healthy check beside them passes', async () => {
    const floods = await Promise.all(hostile.map((h) => startFloodServer(h.server)));
    closers.push(...floods.map((f) => () => f.close()));
    const answers = await Promise.all(
      malformed.map((m) =>
        answerOnceServer(`${HTTP_OK}Content-Length: ${Buffer.byteLength(m.body)}\r\n\r\n${m.body}`),
      ),
    );
    closers.push(...answers.map((a) => () => a.close()));
    const long = { timeoutMs: 10_000 };
    const t = { ...login, info: 'true' };
    const healthy = target(server.port, { ...login, info: 'cat motd.txt', expect: 'Team 7' });
    const [flooded, broken, endless, ok] = await Promise.all([
      Promise.all(floods.map((f) => winrm(target(f.port, t), long))),
      Promise.all(answers.map((a) => winrm(target(a.port, t), long))),
      winrm({ ...healthy, info: 'yes' }, long),
      winrm(healthy, OPTIONS),
    ]);
    expect(flooded).toEqual(
      hostile.map((h) => ({ up: false, kind: 'content', message: h.message })),
    );
    expect(broken).toEqual(
      malformed.map((m) => ({
        up: false,
        kind: 'content',
        message: `winrm 127.0.0.1: ${m.message}`,
      })),
    );
    // Receive after Receive of output, each within MaxEnvelopeSize, until the conversation's limit.
    expect(endless).toEqual({
      up: false,
      kind: 'content',
      message: `winrm 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
    });
    expect(ok).toMatchObject({ up: true });
    for (const [i, h] of hostile.entries()) {
      expect(await floods[i]!.hungUp).toBeLessThanOrEqual(writtenBound(h.limitBytes));
    }
  });
});
