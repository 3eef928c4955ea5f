import { createHash, createHmac } from 'node:crypto';
import { md4 } from './md4.js';
import { Rc4 } from './rc4.js';

// NTLMv2's computations (MS-NLMP 3.3.2, 3.4.4.2, 3.4.5), each tested against the values of
// MS-NLMP 4.2.4.

export const unicode = (text: string) => Buffer.from(text, 'utf16le');

export const hmacMd5 = (key: Buffer, ...data: Buffer[]) =>
  createHmac('md5', key).update(Buffer.concat(data)).digest();

/**
 * Upper case as Windows takes it for NTOWFv2: one UTF-16 unit for another, never a longer
 * string (JavaScript's `'ß'.toUpperCase()` is `'SS'`; Windows keeps `ß`).
 */
function upcase(text: string): string {
  return Array.from(text, (ch) => {
    const upper = ch.toUpperCase();
    return upper.length === ch.length ? upper : ch;
  }).join('');
}

/** NTOWFv2 (= LMOWFv2): HMAC_MD5(MD4(UNICODE(password)), UNICODE(Uppercase(user) ‖ domain)). */
export function ntowfv2(password: string, user: string, domain: string): Buffer {
  return hmacMd5(md4(unicode(password)), unicode(upcase(user) + domain));
}

export interface V2Response {
  ntChallengeResponse: Buffer;
  /** LMv2: HMAC_MD5(key, server ‖ client challenge) ‖ client challenge. */
  lmChallengeResponse: Buffer;
  sessionBaseKey: Buffer;
}

/**
 * The NTLMv2 responses (MS-NLMP 3.3.2): `time` is the 8-byte FILETIME, `targetInfo` the AV pairs
 * the client sends back (ending in MsvAvEOL).
 */
export function ntlmv2Response(
  responseKey: Buffer,
  serverChallenge: Buffer,
  clientChallenge: Buffer,
  time: Buffer,
  targetInfo: Buffer,
): V2Response {
  const temp = Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]),
    time,
    clientChallenge,
    Buffer.alloc(4),
    targetInfo,
    Buffer.alloc(4),
  ]);
  const ntProofStr = hmacMd5(responseKey, serverChallenge, temp);
  return {
    ntChallengeResponse: Buffer.concat([ntProofStr, temp]),
    lmChallengeResponse: Buffer.concat([
      hmacMd5(responseKey, serverChallenge, clientChallenge),
      clientChallenge,
    ]),
    sessionBaseKey: hmacMd5(responseKey, ntProofStr),
  };
}

/** The exported session key wrapped with the key exchange key (NTLMv2: the session base key). */
export const encryptSessionKey = (keyExchangeKey: Buffer, exportedSessionKey: Buffer) =>
  new Rc4(keyExchangeKey).update(exportedSessionKey);

const magic = (what: string) =>
  Buffer.from(`session key to ${what} key magic constant\0`, 'latin1');

export type Direction = 'client-to-server' | 'server-to-client';

/** SIGNKEY and SEALKEY (MS-NLMP 3.4.5.2, 3.4.5.3) with extended session security, 128 bits. */
export const signKey = (exported: Buffer, direction: Direction) =>
  createHash('md5')
    .update(Buffer.concat([exported, magic(`${direction} signing`)]))
    .digest();
export const sealKey = (exported: Buffer, direction: Direction) =>
  createHash('md5')
    .update(Buffer.concat([exported, magic(`${direction} sealing`)]))
    .digest();

/**
 * One direction's sealing (MS-NLMP 3.4.3, extended session security): an RC4 handle that runs on
 * across messages, and the sequence number. `keyExchange`: the checksum is RC4'd too (3.4.4.2).
 */
export class NtlmSealing {
  private readonly rc4: Rc4;
  private readonly signing: Buffer;
  private seq = 0;

  constructor(
    exportedSessionKey: Buffer,
    direction: Direction,
    private readonly keyExchange: boolean,
  ) {
    this.rc4 = new Rc4(sealKey(exportedSessionKey, direction));
    this.signing = signKey(exportedSessionKey, direction);
  }

  /** The sealed message: its 16-byte signature, then the encrypted message. */
  seal(message: Buffer): Buffer {
    const data = this.rc4.update(message);
    return Buffer.concat([this.signature(message), data]);
  }

  /** The message a peer sealed (signature ‖ data), or undefined when its signature is wrong. */
  unseal(sealed: Buffer): Buffer | undefined {
    if (sealed.length < 16) return undefined;
    const message = this.rc4.update(sealed.subarray(16));
    return this.signature(message).equals(sealed.subarray(0, 16)) ? message : undefined;
  }

  private signature(message: Buffer): Buffer {
    const seq = Buffer.alloc(4);
    seq.writeUInt32LE(this.seq++);
    const mac = hmacMd5(this.signing, seq, message).subarray(0, 8);
    const checksum = this.keyExchange ? this.rc4.update(mac) : mac;
    return Buffer.concat([Buffer.from([1, 0, 0, 0]), checksum, seq]);
  }
}
