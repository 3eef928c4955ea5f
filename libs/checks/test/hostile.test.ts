import { afterAll, describe, expect, it } from 'vitest';
import {
  LimitExceededError,
  MAX_CONVERSATION_BYTES,
  MAX_HTTP_BODY_BYTES,
  MAX_HTTP_HEADER_BYTES,
  MAX_LINE_BYTES,
  MAX_REPLY_LINES,
  type CheckResult,
} from '../src/index.js';
import { codeReply, LineClient } from '../src/line-client.js';
import { startDovecot } from './daemons.js';
import {
  READ_CHUNK_BYTES,
  startFloodServer,
  writtenBound,
  type FloodOptions,
} from './flood-server.js';
import { check, target } from './helpers.js';
import { startFtpServer, startSmtpServer } from './mail-servers.js';

// Hostile servers: each sends more than a limit allows (endless lines, a line that never ends, a
// body or a message without end). Each check fails as "content" naming the limit and hangs up at
// once, which the server sees: what it managed to write is bounded. Healthy checks on the same
// runner, at the same time, still pass. No timing is asserted (durations are only logged).

/** A time limit far above what reaching a limit takes: a slow machine makes no timeout of it. */
const OPTIONS = { timeoutMs: 10_000 };
const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function flood(options: FloodOptions) {
  const server = await startFloodServer(options);
  closers.push(() => server.close());
  return server;
}

async function timed(name: string, run: () => Promise<CheckResult>): Promise<CheckResult> {
  const started = performance.now();
  const result = await run();
  console.log(`${name}: ${Math.round(performance.now() - started)} ms (for information)`);
  return result;
}

interface Hostile {
  name: string;
  protocol: string;
  server: FloodOptions;
  message: string;
  /** The bytes read by which the client has certainly crossed the limit. */
  limitBytes: number;
}

const LONG_LINE = `220-${'y'.repeat(8000)}\r\n`;
const HOSTILE: Hostile[] = [
  {
    name: 'smtp: endless continuation lines',
    protocol: 'smtp',
    server: { flood: '220-x\r\n' },
    message: `smtp 127.0.0.1: more than ${MAX_REPLY_LINES} lines in one reply`,
    limitBytes: (MAX_REPLY_LINES + 1) * 7,
  },
  {
    name: 'ftp: a banner line that never ends',
    protocol: 'ftp',
    server: { preamble: '220 ', flood: 'x' },
    message: `ftp 127.0.0.1: line longer than ${MAX_LINE_BYTES} bytes`,
    limitBytes: 4 + MAX_LINE_BYTES + 2,
  },
  {
    name: 'imap: a banner, then an endless stream of CRLF',
    protocol: 'imap',
    server: { hello: '* OK ready\r\n', flood: '\r\n' },
    message: `imap 127.0.0.1: more than ${MAX_REPLY_LINES} lines in one reply`,
    limitBytes: 12 + (MAX_REPLY_LINES + 1) * 2,
  },
  {
    name: 'smtp: long lines, each within the limit, past the conversation limit',
    protocol: 'smtp',
    server: { flood: LONG_LINE },
    message: `smtp 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
    limitBytes: MAX_CONVERSATION_BYTES + 1,
  },
];

describe('text protocols (smtp, ftp, imap, pop3)', () => {
  it('fail a hostile server as content and hang up, while healthy checks beside them pass', async () => {
    const smtp = await startSmtpServer();
    closers.push(() => smtp.close());
    const ftp = await startFtpServer();
    closers.push(() => ftp.close());
    const dovecot = await startDovecot('dave', 'pw2');
    closers.push(() => dovecot.stop());
    const hostile = await Promise.all(HOSTILE.map((h) => flood(h.server)));

    const dave = { username: 'dave', password: 'pw2' };
    const healthy = [
      { name: 'smtp', t: target(smtp.port, { username: 'alice', password: 'pw' }) },
      { name: 'ftp', t: target(ftp.port, { username: 'bob', password: 'secret' }) },
      { name: 'imap', t: target(dovecot.ports.imap!, dave) },
      { name: 'pop3', t: target(dovecot.ports.pop3!, dave) },
    ];
    const [hostileResults, healthyResults] = await Promise.all([
      Promise.all(
        HOSTILE.map((h, i) =>
          timed(`hostile ${h.name}`, () => check(h.protocol)(target(hostile[i]!.port), OPTIONS)),
        ),
      ),
      Promise.all(
        healthy.map((h) => timed(`healthy ${h.name}`, () => check(h.name)(h.t, OPTIONS))),
      ),
    ]);

    expect(hostileResults).toEqual(
      HOSTILE.map((h) => ({ up: false, kind: 'content', message: h.message })),
    );
    expect(healthyResults).toEqual(healthy.map(() => expect.objectContaining({ up: true })));
    for (const [i, h] of HOSTILE.entries()) {
      const written = await hostile[i]!.hungUp;
      console.log(`${h.name}: the server wrote ${written} bytes before the client hung up`);
      expect(written).toBeLessThanOrEqual(writtenBound(h.limitBytes));
    }
  });

  it.each(HOSTILE)('$name: the client reads at most the limit and one socket read', async (h) => {
    const server = await flood(h.server);
    const client = await LineClient.open('127.0.0.1', server.port, OPTIONS.timeoutMs);
    try {
      const error = await client.read(codeReply).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(LimitExceededError);
      expect(h.message).toContain((error as Error).message);
      expect(client.received).toBeLessThanOrEqual(h.limitBytes + READ_CHUNK_BYTES);
      // It hung up at once: the server's socket closes without the client's close().
      expect(await server.hungUp).toBeLessThanOrEqual(writtenBound(h.limitBytes));
    } finally {
      client.close();
    }
  });
});

describe('http', () => {
  const OK = 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n';
  const endlessBody = (start: string): FloodOptions => ({
    waitForClient: true,
    preamble: `${OK}${start}`,
    flood: 'a'.repeat(1024),
  });

  it('reads an endless body no further than its limit', async () => {
    const server = await flood(endlessBody('<h1>shop</h1>'));
    const url = `http://127.0.0.1:${server.port}/`;
    expect(await check('http')(target(server.port, { url, expect: 'Team 7' }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `${url} does not contain the expected text in its first ${MAX_HTTP_BODY_BYTES} bytes`,
      detail: 'expected: Team 7',
    });
    expect(await server.hungUp).toBeLessThanOrEqual(
      writtenBound(OK.length + MAX_HTTP_BODY_BYTES + 100),
    );
  });

  it('stops reading an endless body once the expected text is found', async () => {
    const server = await flood(endlessBody('<h1>Team 7 shop</h1>'));
    const url = `http://127.0.0.1:${server.port}/`;
    expect(await check('http')(target(server.port, { url, expect: 'Team 7' }), OPTIONS)).toEqual({
      up: true,
      message: `${url} answered HTTP 200`,
    });
    expect(await server.hungUp).toBeLessThanOrEqual(writtenBound(OK.length + 100));
  });

  it('reads no body when no text is expected', async () => {
    const server = await flood(endlessBody(''));
    const url = `http://127.0.0.1:${server.port}/`;
    expect(await check('http')(target(server.port, { url }), OPTIONS)).toMatchObject({ up: true });
    expect(await server.hungUp).toBeLessThanOrEqual(writtenBound(OK.length));
  });

  it('fails endless headers as content', async () => {
    const server = await flood({
      waitForClient: true,
      preamble: 'HTTP/1.1 200 OK\r\nX-Filler: ',
      flood: 'f'.repeat(1024),
    });
    const url = `http://127.0.0.1:${server.port}/`;
    expect(await check('http')(target(server.port, { url }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `${url}: headers longer than ${MAX_HTTP_HEADER_BYTES} bytes`,
    });
    expect(await server.hungUp).toBeLessThanOrEqual(writtenBound(MAX_HTTP_HEADER_BYTES));
  });
});

describe('ssh, postgresql, mysql', () => {
  // Past the conversation limit, whatever the client library would still accept: ssh2 takes
  // 1,024 lines of up to 8 KiB before the banner; pg and mysql2 buffer any message length the
  // server announces (here 2 GiB and 16 MiB, never sent whole).
  const tooMuch = (what: string): CheckResult => ({
    up: false,
    kind: 'content',
    message: `${what} 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
  });
  const length = (bytes: number[]) => Buffer.from(bytes);
  const cases: { protocol: string; what: string; server: FloodOptions }[] = [
    { protocol: 'ssh', what: 'ssh', server: { flood: `${'x'.repeat(8000)}\r\n` } },
    {
      protocol: 'postgres',
      what: 'postgres',
      // After the startup message: an authentication request 'R' of 2 GiB.
      server: {
        waitForClient: true,
        preamble: Buffer.concat([Buffer.from('R'), length([0x7f, 0xff, 0xff, 0xff])]),
        flood: Buffer.alloc(1024),
      },
    },
    {
      protocol: 'mysql',
      what: 'mysql',
      // A greeting packet of 16 MiB - 1 (the largest one packet; more would follow).
      server: { preamble: length([0xff, 0xff, 0xff, 0]), flood: Buffer.alloc(1024) },
    },
  ];

  it.each(cases)('$protocol: a server that sends without end fails as content', async (c) => {
    const server = await flood(c.server);
    const t = target(server.port, { username: 'alice', password: 'pw' });
    expect(await check(c.protocol)(t, OPTIONS)).toEqual(tooMuch(c.what));
    expect(await server.hungUp).toBeLessThanOrEqual(writtenBound(MAX_CONVERSATION_BYTES + 1));
  });
});
