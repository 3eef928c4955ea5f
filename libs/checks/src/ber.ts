import { MalformedReplyError } from './server-reply.js';

// The little of ASN.1 BER (X.690) that SNMP needs: definite lengths, one-byte tags.

export const TAG = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
} as const;

function lengthOf(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const tlv = (tag: number, ...content: Buffer[]) => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), lengthOf(body.length), body]);
};

/** A non-negative INTEGER (two's complement, with a leading 0 when the high bit is set). */
export function integer(n: number): Buffer {
  const bytes: number[] = [];
  let rest = n;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(TAG.INTEGER, Buffer.from(bytes));
}

export const octets = (s: string | Buffer) => tlv(TAG.OCTET_STRING, Buffer.from(s));

/** An OBJECT IDENTIFIER from its dotted form ("1.3.6.1.2.1.1.1.0"). */
export function oid(dotted: string): Buffer {
  if (!/^[0-2]\.\d{1,2}(\.\d{1,9})*$/.test(dotted)) throw new RangeError(`not an OID: ${dotted}`);
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const base128: number[] = [arc & 0x7f];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) {
      base128.unshift((rest & 0x7f) | 0x80);
    }
    bytes.push(...base128);
  }
  return tlv(TAG.OID, Buffer.from(bytes));
}

/** Dotted form of an OID's content bytes. */
export function oidText(content: Buffer): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  const [first = 0, ...rest] = arcs;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...rest].join('.');
}

export interface Element {
  tag: number;
  content: Buffer;
}

/** Reads the elements of a buffer one after another, every length checked against it. */
export class BerReader {
  private offset = 0;

  constructor(private readonly bytes: Buffer) {}

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  next(expected?: number): Element {
    const b = this.bytes;
    if (this.offset + 2 > b.length) throw new MalformedReplyError('BER: truncated element');
    const tag = b[this.offset]!;
    if ((tag & 0x1f) === 0x1f) throw new MalformedReplyError('BER: multi-byte tag');
    let length = b[this.offset + 1]!;
    let at = this.offset + 2;
    if (length & 0x80) {
      const n = length & 0x7f;
      if (n === 0 || n > 3) throw new MalformedReplyError('BER: unsupported length');
      if (at + n > b.length) throw new MalformedReplyError('BER: truncated length');
      length = b.readUIntBE(at, n);
      at += n;
    }
    if (at + length > b.length) throw new MalformedReplyError('BER: length past the end');
    if (expected !== undefined && tag !== expected) {
      throw new MalformedReplyError(
        `BER: tag 0x${tag.toString(16)}, not 0x${expected.toString(16)}`,
      );
    }
    this.offset = at + length;
    return { tag, content: b.subarray(at, at + length) };
  }

  /** An INTEGER (at most 6 bytes, two's complement). */
  integer(): number {
    const { content } = this.next(TAG.INTEGER);
    if (content.length === 0 || content.length > 6)
      throw new MalformedReplyError('BER: bad INTEGER');
    return content.readIntBE(0, content.length);
  }
}
