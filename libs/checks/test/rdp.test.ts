import { createServer, type Socket } from 'node:net';
import { makeTlsFixtures } from '@checkwire/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integer, tlv } from '../src/ber.js';
import { encodeTsRequest, MAX_TSREQUEST_BYTES } from '../src/credssp.js';
import { MAX_CONVERSATION_BYTES } from '../src/index.js';
import { credsspStandIn, type Answer } from './credssp-stand-ins.js';
import type { Daemon } from './daemons.js';
import { startXrdp } from './directory-daemons.js';
import { startFreeRdpShadow } from './freerdp-shadow.js';
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
// a closed port, a silent server and hostile stand-ins beside a healthy check; its login against
// FreeRDP's shadow server (NLA: CredSSP with NTLM) and CredSSP stand-ins.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const rdp = check('rdp');
let xrdp: Daemon;
let rdpOnly: Daemon;
let shadow: Daemon;

const USER = 'alice';
const PASSWORD = 'S3cret pw!7';
const tlsFixtures = makeTlsFixtures();
closers.push(() => tlsFixtures.remove());

beforeAll(async () => {
  [xrdp, rdpOnly, shadow] = await Promise.all([
    startXrdp('negotiate'),
    startXrdp('rdp'),
    startFreeRdpShadow(USER, PASSWORD),
  ]);
  closers.push(
    () => xrdp.stop(),
    () => rdpOnly.stop(),
    () => shadow.stop(),
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

/** The CHALLENGE_MESSAGE of MS-NLMP 4.2.4.3 (NTLMv2 session security, 128 bits, key exchange). */
const CHALLENGE = Buffer.from(
  '4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef' +
    '00000000000000002400240044000000060070170000000f5300650072007600' +
    '6500720002000c0044006f006d00610069006e0001000c005300650072007600' +
    '6500720000000000',
  'hex',
);
const challenge = (message: Buffer) => encodeTsRequest({ version: 6, negoToken: message });
/** A TSRequest carrying an errorCode (an NTSTATUS as a 4-byte INTEGER). */
const errorCode = (hex: string) =>
  tlv(0x30, tlv(0xa0, integer(6)), tlv(0xa4, tlv(0x02, Buffer.from(hex, 'hex'))));
const login = (port: number, over: { username?: string; password?: string } = {}) =>
  target(port, { username: USER, password: PASSWORD, ...over });

describe('rdp login (CredSSP with NTLMv2)', () => {
  const standIn = async (answers: Answer[]) => {
    const s = await credsspStandIn(
      { cert: tlsFixtures.serverCert, key: tlsFixtures.serverKey },
      answers,
    );
    closers.push(() => s.close());
    return s;
  };

  it("logs in to FreeRDP's shadow server (with a domain too), and only negotiates without a user name", async () => {
    expect(await rdp(login(shadow.ports.rdp!), OPTIONS)).toEqual({
      up: true,
      message: 'rdp 127.0.0.1: CredSSP negotiated, NTLM login accepted',
    });
    expect(await rdp(target(shadow.ports.rdp!), OPTIONS)).toEqual({
      up: true,
      message: 'rdp 127.0.0.1: CredSSP negotiated, TLS handshake complete',
    });
    // `DOMAIN\\user` sends the domain (the SAM file's account has none: it matches any).
    expect(await rdp(login(shadow.ports.rdp!, { username: 'TEAM7\\alice' }), OPTIONS)).toEqual({
      up: true,
      message: 'rdp 127.0.0.1: CredSSP negotiated, NTLM login accepted',
    });
  });

  it('reports a wrong password and an unknown user as credentials, quoting neither', async () => {
    const results = [
      await rdp(login(shadow.ports.rdp!, { password: 'S3cret pw!8' }), OPTIONS),
      await rdp(login(shadow.ports.rdp!, { username: 'mallory' }), OPTIONS),
      await rdp(login(shadow.ports.rdp!, { password: '' }), OPTIONS),
    ];
    for (const result of results) {
      expect(result).toEqual({
        up: false,
        kind: 'credentials',
        message: 'rdp 127.0.0.1: CredSSP: the server hung up at the login (refused)',
      });
    }
    const stored = JSON.stringify(results);
    for (const secret of ['S3cret', 'alice', 'mallory']) expect(stored).not.toContain(secret);
    // A Windows server answers with an errorCode: a refused login by its name, others as content.
    const refused = await standIn([challenge(CHALLENGE), errorCode('c000006d')]);
    const other = await standIn([errorCode('80090302')]);
    expect(await rdp(login(refused.port), OPTIONS)).toEqual({
      up: false,
      kind: 'credentials',
      message: 'rdp 127.0.0.1: CredSSP: login refused (STATUS_LOGON_FAILURE)',
    });
    expect(await rdp(login(other.port), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'rdp 127.0.0.1: CredSSP: the server answered error 0x80090302',
    });
  });

  it('fails a login the server cannot check (TLS without CredSSP: xrdp) as content', async () => {
    expect(await rdp(login(xrdp.ports.rdp!), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message:
        'rdp 127.0.0.1: TLS negotiated, not CredSSP: the server cannot check the credentials here (no NLA)',
    });
  });

  it('reports a refused connection and a server silent before, during or after the login', async () => {
    expect(await rdp(login(await closedPort()), OPTIONS)).toMatchObject({
      up: false,
      kind: 'connection',
      message: 'rdp 127.0.0.1: ECONNREFUSED',
    });
    const silent = await silentTcpServer();
    closers.push(() => silent.close());
    const ports = [
      silent.port,
      (await standIn([])).port, // never answers NEGOTIATE
      (await standIn([challenge(CHALLENGE)])).port, // never answers AUTHENTICATE
    ];
    for (const port of ports) {
      expect(await rdp(login(port), { timeoutMs: 300 })).toEqual({
        up: false,
        kind: 'timeout',
        message: 'rdp 127.0.0.1: timed out',
      });
    }
  });

  it('fails hostile and malformed CredSSP answers as content, while a login beside them passes', async () => {
    const noSessionSecurity = Buffer.from(CHALLENGE);
    noSessionSecurity.writeUInt32LE(0x00000201, 20);
    const pastTheEnd = Buffer.from(CHALLENGE);
    pastTheEnd.writeUInt32LE(0xfffffff0, 44);
    const servers = await Promise.all([
      standIn([Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')]),
      standIn([Buffer.from('308400ffffff', 'hex')]),
      standIn([challenge(Buffer.from('not an NTLM message at all, not at all'))]),
      standIn([challenge(pastTheEnd)]),
      standIn([challenge(noSessionSecurity)]),
      // A server that accepts any login: its pubKeyAuth cannot be sealed with the session key.
      standIn([
        challenge(CHALLENGE),
        encodeTsRequest({ version: 6, pubKeyAuth: Buffer.alloc(48, 0x42) }),
      ]),
      standIn([challenge(CHALLENGE), encodeTsRequest({ version: 6 })]),
      // A TSRequest announcing 2 GiB, then endless bytes.
      standIn([{ flood: Buffer.concat([Buffer.from('3084', 'hex'), Buffer.alloc(16_382, 0x7f)]) }]),
    ]);
    const [results, ok] = await Promise.all([
      Promise.all(servers.map((s) => rdp(login(s.port), { timeoutMs: 10_000 }))),
      rdp(login(shadow.ports.rdp!), OPTIONS),
    ]);
    const content = (message: string) => ({
      up: false,
      kind: 'content',
      message: `rdp 127.0.0.1: ${message}`,
    });
    expect(results).toEqual([
      content('CredSSP: not a TSRequest'),
      content(`CredSSP: a message of ${2 + 4 + 0xffffff} bytes (more than ${MAX_TSREQUEST_BYTES})`),
      content('NTLM: not an NTLMSSP message'),
      content('NTLM: target info past the end'),
      content('NTLM: the server refused NTLMv2 session security (flags 0x201)'),
      content("CredSSP: the server's pubKeyAuth does not verify"),
      content('CredSSP: no pubKeyAuth in the answer to the login'),
      content(
        `CredSSP: a message of ${2 + 4 + 0x7f7f7f7f} bytes (more than ${MAX_TSREQUEST_BYTES})`,
      ),
    ]);
    expect(ok).toEqual({
      up: true,
      message: 'rdp 127.0.0.1: CredSSP negotiated, NTLM login accepted',
    });
    expect(await servers[7].hungUp).toBeLessThanOrEqual(writtenBound(MAX_CONVERSATION_BYTES));
  });
});
