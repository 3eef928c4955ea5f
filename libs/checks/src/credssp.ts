import { createHash } from 'node:crypto';
import { BerReader, integer, octets, TAG, tlv } from './ber.js';
import { MalformedReplyError } from './server-reply.js';

// CredSSP's TSRequest (MS-CSSP 2.2.1) in DER, and the public key binding of its pubKeyAuth
// (3.1.5): what the client and server prove they both see over TLS.

/** The CredSSP version the client speaks: 6 (the client nonce of CVE-2018-0886's fix). */
export const CREDSSP_VERSION = 6;

/** The longest TSRequest read: an NTLM CHALLENGE or a sealed hash is a few hundred bytes. */
export const MAX_TSREQUEST_BYTES = 64 * 1024;

export interface TsRequest {
  version: number;
  /** The first negoToken (NTLM's message). */
  negoToken?: Buffer;
  pubKeyAuth?: Buffer;
  /** An NTSTATUS, unsigned (e.g. 0xc000006d, STATUS_LOGON_FAILURE). */
  errorCode?: number;
  clientNonce?: Buffer;
}

const context = (n: number, ...content: Buffer[]) => tlv(0xa0 + n, ...content);

export function encodeTsRequest(r: TsRequest): Buffer {
  return tlv(
    TAG.SEQUENCE,
    context(0, integer(r.version)),
    ...(r.negoToken
      ? [context(1, tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, context(0, octets(r.negoToken)))))]
      : []),
    ...(r.pubKeyAuth ? [context(3, octets(r.pubKeyAuth))] : []),
    ...(r.clientNonce ? [context(5, octets(r.clientNonce))] : []),
  );
}

/** The bytes of a TSRequest's first element, once `head` holds enough of it to tell. */
export function tsRequestLength(head: Buffer): number | undefined {
  if (head.length < 2) return undefined;
  if (head[0] !== TAG.SEQUENCE) throw new MalformedReplyError('CredSSP: not a TSRequest');
  const first = head[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4) throw new MalformedReplyError('CredSSP: a bad TSRequest length');
  if (head.length < 2 + n) return undefined;
  return 2 + n + head.readUIntBE(2, n);
}

/** A whole TSRequest (tsRequestLength bytes), its fields read (authInfo and unknown ones skipped). */
export function parseTsRequest(der: Buffer): TsRequest {
  const fields = new BerReader(new BerReader(der).next(TAG.SEQUENCE).content);
  const r: TsRequest = { version: 0 };
  let version: number | undefined;
  while (!fields.done) {
    const { tag, content } = fields.next();
    const inner = new BerReader(content);
    if (tag === 0xa0) version = inner.integer();
    else if (tag === 0xa1) {
      const token = new BerReader(
        new BerReader(inner.next(TAG.SEQUENCE).content).next(TAG.SEQUENCE).content,
      );
      r.negoToken = new BerReader(token.next(0xa0).content).next(TAG.OCTET_STRING).content;
    } else if (tag === 0xa3) r.pubKeyAuth = inner.next(TAG.OCTET_STRING).content;
    else if (tag === 0xa4) r.errorCode = inner.integer() >>> 0;
    else if (tag === 0xa5) r.clientNonce = inner.next(TAG.OCTET_STRING).content;
  }
  if (version === undefined || version < 1) throw new MalformedReplyError('CredSSP: no version');
  r.version = version;
  return r;
}

/** SubjectPublicKey: the BIT STRING of a DER SubjectPublicKeyInfo, without its unused-bits byte. */
export function subjectPublicKey(spki: Buffer): Buffer {
  const info = new BerReader(new BerReader(spki).next(TAG.SEQUENCE).content);
  info.next(TAG.SEQUENCE); // the algorithm
  const bits = info.next(0x03).content;
  if (bits.length < 2 || bits[0] !== 0) throw new MalformedReplyError('CredSSP: a bad public key');
  return bits.subarray(1);
}

const CLIENT_MAGIC = Buffer.from('CredSSP Client-To-Server Binding Hash\0', 'latin1');
const SERVER_MAGIC = Buffer.from('CredSSP Server-To-Client Binding Hash\0', 'latin1');

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

/**
 * What the client seals as pubKeyAuth, and what it expects the server's to unseal to: from
 * version 5 on the binding hashes with the client's nonce, before it the public key itself and
 * that key with its first byte plus one (MS-CSSP 3.1.5).
 */
export function publicKeyBinding(
  version: number,
  publicKey: Buffer,
  nonce: Buffer,
): { client: Buffer; server: Buffer } {
  if (version >= 5) {
    return {
      client: sha256(CLIENT_MAGIC, nonce, publicKey),
      server: sha256(SERVER_MAGIC, nonce, publicKey),
    };
  }
  const server = Buffer.from(publicKey);
  server[0] = (server[0]! + 1) & 0xff;
  return { client: publicKey, server };
}
