import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { down, fromNetworkError, up, withTimeout, type Check, type CheckResult } from './check.js';
import { DEFAULT_PORTS } from './default-ports.js';
import { tlsFailure, tlsOverMetered } from './ldap.connection.js';
import { hangUp, meteredSocket } from './metered-socket.js';
import { credsspLogin } from './rdp.nla.js';
import { MalformedReplyError } from './server-reply.js';

// RDP's first exchange (MS-RDPBCGR 2.2.1.1 and 2.2.1.2): an X.224 Connection Request (in a TPKT,
// RFC 1006) carrying an RDP Negotiation Request, and the server's Connection Confirm.

/** requestedProtocols: PROTOCOL_SSL | PROTOCOL_HYBRID (CredSSP, which runs over TLS). */
const REQUESTED = 0x1 | 0x2;
const PROTOCOL_HYBRID = 0x2;

/** selectedProtocol values by name (MS-RDPBCGR 2.2.1.2.1). */
const PROTOCOLS = new Map<number, string>([
  [0x0, 'standard RDP security'],
  [0x1, 'TLS'],
  [0x2, 'CredSSP'],
  [0x4, 'RDSTLS'],
  [0x8, 'CredSSP with Early User Authorization'],
]);

/** RDP_NEG_FAILURE failureCode names (MS-RDPBCGR 2.2.1.2.2). */
const FAILURES = new Map<number, string>([
  [1, 'SSL_REQUIRED_BY_SERVER'],
  [2, 'SSL_NOT_ALLOWED_BY_SERVER'],
  [3, 'SSL_CERT_NOT_ON_SERVER'],
  [4, 'INCONSISTENT_FLAGS'],
  [5, 'HYBRID_REQUIRED_BY_SERVER'],
  [6, 'SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER'],
]);

/** The Connection Request: TPKT, X.224 CR TPDU (no cookie), RDP_NEG_REQ. */
export function connectionRequest(): Buffer {
  const negotiation = Buffer.from([0x01, 0x00, 0x08, 0x00, REQUESTED, 0, 0, 0]);
  const x224 = Buffer.from([6 + negotiation.length, 0xe0, 0, 0, 0, 0, 0]);
  const length = 4 + x224.length + negotiation.length;
  return Buffer.concat([Buffer.from([3, 0, length >> 8, length & 0xff]), x224, negotiation]);
}

export type Negotiated = { selected: number } | { failure: number };

/** A whole TPKT holding an X.224 Connection Confirm, read as its negotiation result. */
export function parseConfirm(tpkt: Buffer): Negotiated {
  const x224 = tpkt.subarray(4);
  if (x224.length < 7 || x224[0]! + 1 !== x224.length) {
    throw new MalformedReplyError('RDP: a bad X.224 length');
  }
  if ((x224[1]! & 0xf0) !== 0xd0) {
    throw new MalformedReplyError(
      `RDP: X.224 TPDU 0x${x224[1]!.toString(16)}, not a Connection Confirm`,
    );
  }
  const negotiation = x224.subarray(7);
  // No negotiation data: a server that knows only standard RDP security.
  if (negotiation.length === 0) return { selected: 0 };
  if (negotiation.length !== 8 || negotiation.readUInt16LE(2) !== 8) {
    throw new MalformedReplyError('RDP: a bad negotiation response');
  }
  const value = negotiation.readUInt32LE(4);
  if (negotiation[0] === 0x02) return { selected: value };
  if (negotiation[0] === 0x03) return { failure: value };
  throw new MalformedReplyError(`RDP: negotiation type ${negotiation[0]}`);
}

/** Reads one TPKT (at most 65535 bytes by its 16-bit length) from a connected socket. */
function readTpkt(socket: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const done = (err: Error | undefined, tpkt?: Buffer) => {
      socket.off('data', onData).off('error', done).off('close', onClose);
      socket.pause();
      if (err === undefined) resolve(tpkt!);
      else reject(err);
    };
    const onClose = () =>
      done(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' }));
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got[0] !== 3) return done(new MalformedReplyError('RDP: not a TPKT (version 3)'));
      if (got.length < 4) return;
      const length = got.readUInt16BE(2);
      if (length < 11) return done(new MalformedReplyError(`RDP: a TPKT of ${length} bytes`));
      if (got.length > length)
        return done(new MalformedReplyError('RDP: more than one TPKT before TLS'));
      if (got.length === length) done(undefined, got);
    };
    socket.on('data', onData).once('error', done).once('close', onClose);
  });
}

/** Completes a TLS handshake over the (metered) connection; any certificate: not verified. */
function startTls(socket: Socket, host: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tls = tlsOverMetered(socket, host);
    tls.once('secureConnect', () => {
      tls.off('error', reject).on('error', () => undefined);
      resolve(tls);
    });
    tls.once('error', reject);
  });
}

/**
 * RDP: negotiation and, when the server selects a protocol over TLS (TLS or CredSSP), the TLS
 * handshake. With a user name, a login too: the server must select CredSSP, and the check logs
 * in over it with NTLMv2 (`src/rdp.nla.ts`); without one, no login.
 */
export const rdpCheck: Check = async (t, { timeoutMs }): Promise<CheckResult> => {
  const what = `rdp ${t.host}`;
  const socket = meteredSocket().connect(t.port || DEFAULT_PORTS.rdp, t.host);
  let tls: TLSSocket | undefined;
  const work = async (): Promise<CheckResult> => {
    await new Promise<void>((resolve, reject) =>
      socket.once('connect', resolve).once('error', reject),
    );
    socket.write(connectionRequest());
    const result = parseConfirm(await readTpkt(socket));
    if ('failure' in result) {
      const name = FAILURES.get(result.failure) ?? `failure code ${result.failure}`;
      return down('content', `${what}: negotiation refused: ${name}`);
    }
    const protocol = PROTOCOLS.get(result.selected) ?? `protocol 0x${result.selected.toString(16)}`;
    if ((result.selected & REQUESTED) === 0 || (result.selected & ~REQUESTED) !== 0) {
      return down('content', `${what}: the server selected ${protocol}, which was not offered`);
    }
    tls = await startTls(socket, t.host);
    if (t.username === '') return up(`${what}: ${protocol} negotiated, TLS handshake complete`);
    if (result.selected !== PROTOCOL_HYBRID) {
      return down(
        'content',
        `${what}: ${protocol} negotiated, not CredSSP: the server cannot check the credentials here (no NLA)`,
      );
    }
    return await credsspLogin(tls, { username: t.username, password: t.password }, what);
  };
  try {
    return await withTimeout(work(), timeoutMs);
  } catch (err) {
    return tlsFailure(err, what) ?? fromNetworkError(err, what);
  } finally {
    tls?.destroy();
    socket.on('error', () => undefined);
    hangUp(socket);
  }
};
