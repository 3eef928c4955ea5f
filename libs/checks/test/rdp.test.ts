import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONVERSATION_BYTES } from '../src/index.js';
import type { Daemon } from './daemons.js';
import { startXrdp } from './directory-daemons.js';
import { startFloodServer, writtenBound } from './flood-server.js';
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

// The rdp check against xrdp (negotiating TLS, and one that allows only standard RDP security),
// a closed port, a silent server and hostile stand-ins beside a healthy check.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const rdp = check('rdp');
let xrdp: Daemon;
let rdpOnly: Daemon;

beforeAll(async () => {
  [xrdp, rdpOnly] = await Promise.all([startXrdp('negotiate'), startXrdp('rdp')]);
  closers.push(
    () => xrdp.stop(),
    () => rdpOnly.stop(),
  );
});

/** A Connection Confirm (TPKT, X.224 CC) with an RDP_NEG_RSP (type 2) or RDP_NEG_FAILURE (3). */
const confirm = (type: number, value: number) => {
  const negotiation = Buffer.alloc(8);
  negotiation.writeUInt8(type, 0);
  negotiation.writeUInt16LE(8, 2);
  negotiation.writeUInt32LE(value, 4);
  return Buffer.concat([Buffer.from([3, 0, 0, 19, 14, 0xd0, 0, 0, 0x12, 0x34, 0]), negotiation]);
};

/** Confirms TLS, then answers the ClientHello with `block` again and again. */
async function confirmThenFlood(
  block: Buffer,
): Promise<{ port: number; close(): Promise<void>; hungUp: Promise<number> }> {
  let hungUp: (n: number) => void = () => undefined;
  const hung = new Promise<number>((r) => (hungUp = r));
  const sockets = new Set<Socket>();
  const s = await listen(
    createServer((c) => {
      sockets.add(c);
      c.on('error', () => undefined);
      c.once('data', () => {
        c.write(confirm(2, 1));
        c.once('data', () => {
          let written = 0;
          c.once('close', () => hungUp(written));
          const more = () => {
            if (!c.destroyed && c.write(block, (err) => err || (written += block.length)))
              setImmediate(more);
            else if (!c.destroyed) c.once('drain', more);
          };
          more();
        });
      });
    }),
  );
  return {
    port: portOf(s),
    hungUp: hung,
    close: () =>
      new Promise((resolve) => {
        for (const c of sockets) c.destroy();
        s.close(() => resolve());
      }),
  };
}

describe('rdp', () => {
  it('negotiates TLS with xrdp and completes the handshake', async () => {
    expect(await rdp(target(xrdp.ports.rdp!), OPTIONS)).toEqual({
      up: true,
      message: 'rdp 127.0.0.1: TLS negotiated, TLS handshake complete',
    });
  });

  it('reports a refused negotiation by its failure code, as content', async () => {
    // xrdp with security_layer=rdp confirms standard RDP security rather than refuse.
    expect(await rdp(target(rdpOnly.ports.rdp!), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'rdp 127.0.0.1: the server selected standard RDP security, which was not offered',
    });
    const hybrid = await answerOnceServer(confirm(3, 5));
    closers.push(() => hybrid.close());
    expect(await rdp(target(hybrid.port), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'rdp 127.0.0.1: negotiation refused: HYBRID_REQUIRED_BY_SERVER',
    });
  });

  it('reports a refused connection and a server that never answers (before or in TLS)', async () => {
    expect(await rdp(target(await closedPort()), OPTIONS)).toMatchObject({
      up: false,
      kind: 'connection',
      message: 'rdp 127.0.0.1: ECONNREFUSED',
    });
    const silent = await silentTcpServer();
    // Selects TLS, then never answers the ClientHello.
    const silentTls = await answerOnceServer(confirm(2, 1));
    closers.push(
      () => silent.close(),
      () => silentTls.close(),
    );
    for (const port of [silent.port, silentTls.port]) {
      expect(await rdp(target(port), { timeoutMs: 300 })).toEqual({
        up: false,
        kind: 'timeout',
        message: 'rdp 127.0.0.1: timed out',
      });
    }
  });

  it('fails hostile and malformed answers as content, while a healthy check beside them passes', async () => {
    const servers = await Promise.all([
      startFloodServer({ waitForClient: true, flood: 'garbage\r\n' }),
      // A Connection Confirm selecting TLS, then endless bytes that are no TLS.
      startFloodServer({
        waitForClient: true,
        preamble: confirm(2, 1),
        flood: Buffer.alloc(4096, 0x17),
      }),
      // A TPKT announcing 65535 bytes, then endless bytes.
      startFloodServer({
        waitForClient: true,
        preamble: Buffer.from([3, 0, 0xff, 0xff]),
        flood: 'x',
      }),
    ]);
    const others = await Promise.all([
      // Selects TLS, then answers the ClientHello with endless bytes that are no TLS.
      confirmThenFlood(Buffer.alloc(16_384, 0x17)),
      // … or with TLS records of empty HelloRequests without end, which OpenSSL skips.
      confirmThenFlood(Buffer.concat([Buffer.from([0x16, 3, 3, 0x40, 0]), Buffer.alloc(0x4000)])),
      answerOnceServer(confirm(2, 0x20)), // a protocol nobody asked for
      answerOnceServer(Buffer.from([3, 0, 0, 11, 6, 0xf0, 0, 0, 0, 0, 0])), // not a CC
    ]);
    for (const s of [...servers, ...others]) closers.push(() => s.close());
    const [results, ok] = await Promise.all([
      Promise.all([...servers, ...others].map((s) => rdp(target(s.port), { timeoutMs: 10_000 }))),
      rdp(target(xrdp.ports.rdp!), OPTIONS),
    ]);
    expect(results).toEqual([
      { up: false, kind: 'content', message: 'rdp 127.0.0.1: RDP: not a TPKT (version 3)' },
      {
        up: false,
        kind: 'content',
        message: 'rdp 127.0.0.1: RDP: more than one TPKT before TLS',
      },
      {
        up: false,
        kind: 'content',
        message: 'rdp 127.0.0.1: RDP: more than one TPKT before TLS',
      },
      {
        up: false,
        kind: 'content',
        message: expect.stringMatching(/^rdp 127\.0\.0\.1: TLS handshake failed \(ERR_SSL_/),
      },
      {
        up: false,
        kind: 'content',
        message: `rdp 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
      },
      {
        up: false,
        kind: 'content',
        message: 'rdp 127.0.0.1: the server selected protocol 0x20, which was not offered',
      },
      {
        up: false,
        kind: 'content',
        message: 'rdp 127.0.0.1: RDP: X.224 TPDU 0xf0, not a Connection Confirm',
      },
    ]);
    expect(ok).toMatchObject({ up: true });
    for (const s of [...servers, others[0], others[1]]) {
      expect(await s.hungUp).toBeLessThanOrEqual(writtenBound(MAX_CONVERSATION_BYTES));
    }
  });
});
