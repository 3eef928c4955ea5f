import { MalformedReplyError } from './server-reply.js';

// NTLM's three messages (MS-NLMP 2.2.1), as a client writes NEGOTIATE and AUTHENTICATE and reads
// CHALLENGE: every field a server sends is checked against the message's length.

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

/** NegotiateFlags (MS-NLMP 2.2.2.5) the client uses. */
export const FLAGS = {
  UNICODE: 0x1,
  REQUEST_TARGET: 0x4,
  SIGN: 0x10,
  SEAL: 0x20,
  NTLM: 0x200,
  ALWAYS_SIGN: 0x8000,
  EXTENDED_SESSIONSECURITY: 0x80000,
  TARGET_INFO: 0x800000,
  VERSION: 0x2000000,
  N128: 0x20000000,
  KEY_EXCH: 0x40000000,
  N56: 0x80000000,
} as const;

/** What the client asks for: NTLMv2 with 128-bit signing and sealing, a random session key. */
export const CLIENT_FLAGS =
  (FLAGS.UNICODE |
    FLAGS.REQUEST_TARGET |
    FLAGS.SIGN |
    FLAGS.SEAL |
    FLAGS.NTLM |
    FLAGS.ALWAYS_SIGN |
    FLAGS.EXTENDED_SESSIONSECURITY |
    FLAGS.VERSION |
    FLAGS.N128 |
    FLAGS.KEY_EXCH |
    FLAGS.N56) >>>
  0;

/** The Version field (2.2.2.10): Windows 10.0, build 19041, NTLMSSP_REVISION_W2K3. */
const VERSION = Buffer.from([10, 0, 0x61, 0x4a, 0, 0, 0, 0x0f]);

/** AV pair ids (2.2.2.1) the client reads or writes. */
export const AV = { EOL: 0, FLAGS: 6, TIMESTAMP: 7 } as const;
/** MsvAvFlags: the AUTHENTICATE message carries a MIC. */
const AV_FLAG_MIC = 0x2;

const header = (type: number) => {
  const h = Buffer.alloc(12);
  SIGNATURE.copy(h);
  h.writeUInt32LE(type, 8);
  return h;
};

/** NEGOTIATE_MESSAGE: the flags and the version, no domain or workstation. */
export function negotiateMessage(): Buffer {
  const m = Buffer.concat([header(1), Buffer.alloc(20), VERSION]);
  m.writeUInt32LE(CLIENT_FLAGS, 12);
  // Empty DomainNameFields and WorkstationFields point at the payload's start.
  m.writeUInt32LE(m.length, 20);
  m.writeUInt32LE(m.length, 28);
  return m;
}

export interface Challenge {
  flags: number;
  serverChallenge: Buffer;
  /** The AV pairs, MsvAvEOL excluded, in the server's order. */
  targetInfo: { id: number; value: Buffer }[];
}

/** A field's bytes (length, max length, offset) from a message, checked against its length. */
function field(m: Buffer, at: number, name: string): Buffer {
  const length = m.readUInt16LE(at);
  const offset = m.readUInt32LE(at + 4);
  if (offset + length > m.length) throw new MalformedReplyError(`NTLM: ${name} past the end`);
  return m.subarray(offset, offset + length);
}

/** CHALLENGE_MESSAGE (2.2.1.2): its flags, server challenge and target info. */
export function parseChallenge(m: Buffer): Challenge {
  if (m.length < 32 || !m.subarray(0, 8).equals(SIGNATURE)) {
    throw new MalformedReplyError('NTLM: not an NTLMSSP message');
  }
  const type = m.readUInt32LE(8);
  if (type !== 2) throw new MalformedReplyError(`NTLM: message type ${type}, not a CHALLENGE`);
  const flags = m.readUInt32LE(20);
  const serverChallenge = Buffer.from(m.subarray(24, 32));
  const info = m.length >= 48 && flags & FLAGS.TARGET_INFO ? field(m, 40, 'target info') : null;
  const targetInfo: Challenge['targetInfo'] = [];
  for (let at = 0; info !== null;) {
    if (at + 4 > info.length) throw new MalformedReplyError('NTLM: target info without its end');
    const id = info.readUInt16LE(at);
    const length = info.readUInt16LE(at + 2);
    if (id === AV.EOL) break;
    if (at + 4 + length > info.length) throw new MalformedReplyError('NTLM: AV pair past the end');
    targetInfo.push({ id, value: Buffer.from(info.subarray(at + 4, at + 4 + length)) });
    at += 4 + length;
  }
  return { flags, serverChallenge, targetInfo };
}

/**
 * The AV pairs the client returns in its NTLMv2 response: the server's, with MsvAvFlags saying a
 * MIC follows, and MsvAvEOL.
 */
export function clientTargetInfo(pairs: Challenge['targetInfo']): Buffer {
  const flags = pairs.find((p) => p.id === AV.FLAGS && p.value.length === 4);
  const flagValue = Buffer.alloc(4);
  flagValue.writeUInt32LE(((flags?.value.readUInt32LE(0) ?? 0) | AV_FLAG_MIC) >>> 0);
  const all = [...pairs.filter((p) => p.id !== AV.FLAGS), { id: AV.FLAGS, value: flagValue }];
  return Buffer.concat([
    ...all.flatMap(({ id, value }) => {
      const head = Buffer.alloc(4);
      head.writeUInt16LE(id);
      head.writeUInt16LE(value.length, 2);
      return [head, value];
    }),
    Buffer.alloc(4),
  ]);
}

export interface Authenticate {
  flags: number;
  lmChallengeResponse: Buffer;
  ntChallengeResponse: Buffer;
  domain: string;
  user: string;
  encryptedRandomSessionKey: Buffer;
}

/** Where the MIC sits in AUTHENTICATE_MESSAGE (after the Version field). */
export const MIC_OFFSET = 72;
const AUTHENTICATE_HEADER = MIC_OFFSET + 16;

/** AUTHENTICATE_MESSAGE (2.2.1.3) with a zero MIC, which the caller then fills in. */
export function authenticateMessage(a: Authenticate): Buffer {
  const payloads = [
    a.lmChallengeResponse,
    a.ntChallengeResponse,
    Buffer.from(a.domain, 'utf16le'),
    Buffer.from(a.user, 'utf16le'),
    Buffer.alloc(0), // the workstation
    a.encryptedRandomSessionKey,
  ];
  const head = Buffer.concat([header(3), Buffer.alloc(AUTHENTICATE_HEADER - 12)]);
  let offset = AUTHENTICATE_HEADER;
  payloads.forEach((p, i) => {
    if (p.length > 0xffff) throw new RangeError('NTLM: a field over 65535 bytes');
    head.writeUInt16LE(p.length, 12 + 8 * i);
    head.writeUInt16LE(p.length, 14 + 8 * i);
    head.writeUInt32LE(offset, 16 + 8 * i);
    offset += p.length;
  });
  head.writeUInt32LE(a.flags >>> 0, 60);
  VERSION.copy(head, 64);
  return Buffer.concat([head, ...payloads]);
}
