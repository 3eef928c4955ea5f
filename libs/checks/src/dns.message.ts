import { randomInt } from 'node:crypto';
import type { DnsRecordType } from '@checkwire/check-settings';
import { MalformedReplyError } from './server-reply.js';

// DNS messages (RFC 1035 §4, AAAA from RFC 3596), written by hand so the check reads a server's
// answer through its own bounded transports (c-ares, Node's resolver, reads an endless TCP stream
// of answers to other queries until the time limit, holding the event loop for up to a second).

/** The record types the check asks for, by name (RFC 1035 §3.2.2, RFC 3596 §2.1). */
export const DNS_TYPE_CODES: ReadonlyMap<DnsRecordType, number> = new Map([
  ['A', 1],
  ['NS', 2],
  ['CNAME', 5],
  ['SOA', 6],
  ['MX', 15],
  ['TXT', 16],
  ['AAAA', 28],
]);
const CLASS_IN = 1;
const HEADER_BYTES = 12;
/** RFC 1035 §2.3.4: a name is at most 255 bytes on the wire, a label at most 63. */
const MAX_NAME_BYTES = 255;
const MAX_LABEL_BYTES = 63;
/**
 * Compression pointers followed in one name. A name has at most 127 labels and a pointer written
 * to compress leads to at least one of them, so more is a chain built to cost time: thousands of
 * pointers, each pointing back, walked again for every record whose name ends in the chain.
 */
const MAX_NAME_POINTERS = 127;

/** Response codes (RFC 1035 §4.1.1) by number, as a result names them. */
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
export const RCODE_NOERROR = 0;
export const RCODE_NXDOMAIN = 3;
export const rcodeName = (rcode: number): string => RCODES[rcode] ?? `RCODE ${rcode}`;

export interface DnsQuery {
  id: number;
  /** The name as the answer's question must repeat it, rendered (compared case-insensitively). */
  name: string;
  type: number;
  bytes: Buffer;
}

export interface DnsAnswer {
  rcode: number;
  /** TC: the answer did not fit in a datagram; ask again over TCP. */
  truncated: boolean;
  /** The answer section's records of the type asked for (of any owner: a CNAME's target's too). */
  lines: string[];
}

const malformed = (what: string) => new MalformedReplyError(`malformed answer: ${what}`);

/**
 * A query for `name` (dotted; a trailing dot allowed; "." is the root) with recursion desired, as
 * c-ares sends one (no EDNS: answers over 512 bytes come truncated and are asked again over TCP).
 * Undefined when `name` is no domain name (an empty label, a label over 63 bytes, over 255 in all).
 */
export function encodeQuery(name: string, type: DnsRecordType): DnsQuery | undefined {
  const labels = name === '.' ? [] : name.replace(/\.$/, '').split('.');
  const wire: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'utf8');
    if (bytes.length === 0 || bytes.length > MAX_LABEL_BYTES) return undefined;
    wire.push(Buffer.from([bytes.length]), bytes);
  }
  wire.push(Buffer.from([0]));
  const qname = Buffer.concat(wire);
  if (qname.length > MAX_NAME_BYTES) return undefined;
  const id = randomInt(0x10000);
  const code = DNS_TYPE_CODES.get(type)!;
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2); // RD
  header.writeUInt16BE(1, 4); // QDCOUNT
  const question = Buffer.alloc(4);
  question.writeUInt16BE(code, 0);
  question.writeUInt16BE(CLASS_IN, 2);
  return {
    id,
    name: readName(qname, 0).name,
    type: code,
    bytes: Buffer.concat([header, qname, question]),
  };
}

/** One label as text: printable ASCII as it is, `.` and `\` escaped, other bytes as `\DDD`. */
function renderLabel(bytes: Buffer): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0x2e || b === 0x5c) s += `\\${String.fromCharCode(b)}`;
    else if (b > 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\${String(b).padStart(3, '0')}`;
  }
  return s;
}

/**
 * The name at `offset` (RFC 1035 §4.1.4: labels, ending in a zero byte or a pointer to an earlier
 * name) and where it ends in place. Each pointer must point before the part it ends, which is how
 * compression is written and makes loops impossible; at most 127 pointers are followed, and the
 * name is at most 255 bytes.
 */
function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  let segment = offset;
  let end: number | undefined;
  let length = 1;
  let pointers = 0;
  for (;;) {
    const len = msg[at];
    if (len === undefined) throw malformed('a name past the end');
    if (len === 0) break;
    if ((len & 0xc0) === 0xc0) {
      if (at + 1 >= msg.length) throw malformed('a name past the end');
      const target = ((len & 0x3f) << 8) | msg[at + 1]!;
      end ??= at + 2;
      if (target >= segment) throw malformed('a compression pointer that does not point back');
      if (++pointers > MAX_NAME_POINTERS)
        throw malformed(`a name of more than ${MAX_NAME_POINTERS} compression pointers`);
      at = segment = target;
      continue;
    }
    if (len > MAX_LABEL_BYTES) throw malformed('a label of an unknown kind');
    if (at + 1 + len > msg.length) throw malformed('a name past the end');
    length += len + 1;
    if (length > MAX_NAME_BYTES) throw malformed(`a name longer than ${MAX_NAME_BYTES} bytes`);
    labels.push(renderLabel(msg.subarray(at + 1, at + 1 + len)));
    at += 1 + len;
  }
  return { name: labels.length === 0 ? '.' : labels.join('.'), end: end ?? at + 1 };
}

/** An IPv6 address in RFC 5952 form: lower case, no leading zeros, the longest zero run as `::`. */
function ipv6(bytes: Buffer): string {
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2));
  let best = -1;
  let bestLength = 1; // a single zero group is never shortened (RFC 5952 §4.2.2)
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = Math.max(j, i + 1);
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`;
}

/** A record's data as one line (see the README): its bytes from `start` to `end` of `msg`. */
function renderRecord(msg: Buffer, type: number, start: number, end: number): string {
  const name = (at: number) => {
    const n = readName(msg, at);
    if (n.end > end) throw malformed('a name past the end of its record');
    return n;
  };
  const exactly = (at: number) => {
    if (at !== end) throw malformed('a record longer than its data');
  };
  switch (type) {
    case 1:
      if (end - start !== 4) throw malformed('an A record that is not 4 bytes');
      return msg.subarray(start, end).join('.');
    case 28:
      if (end - start !== 16) throw malformed('an AAAA record that is not 16 bytes');
      return ipv6(msg.subarray(start, end));
    case 2:
    case 5: {
      const target = name(start);
      exactly(target.end);
      return target.name;
    }
    case 15: {
      if (end - start < 3) throw malformed('an MX record too short');
      const exchange = name(start + 2);
      exactly(exchange.end);
      return `${msg.readUInt16BE(start)} ${exchange.name}`;
    }
    case 16: {
      // Character-strings joined without a separator, as RFC 7208 §3.3 joins an SPF record's.
      const parts: Buffer[] = [];
      for (let at = start; at < end; at += 1 + msg[at]!) {
        if (at + 1 + msg[at]! > end) throw malformed('a TXT string past the end of its record');
        parts.push(msg.subarray(at + 1, at + 1 + msg[at]!));
      }
      return Buffer.concat(parts).toString('utf8');
    }
    case 6: {
      const mname = name(start);
      const rname = name(mname.end);
      if (end - rname.end !== 20) throw malformed('an SOA record of the wrong length');
      const numbers = [0, 4, 8, 12, 16].map((i) => msg.readUInt32BE(rname.end + i));
      return [mname.name, rname.name, ...numbers].join(' ');
    }
    default:
      throw new Error(`no rendering for record type ${type}`); // only DNS_TYPE_CODES are asked
  }
}

/**
 * The answer `msg` gives to `query`, or undefined when it is no answer to it (shorter than a
 * header, not a response, another id: RFC 5452 §9.1 has a resolver ignore those). An answer to
 * it that is not well formed throws a MalformedReplyError. Only the header, the question and the
 * answer section are read; records of other types (a CNAME before the addresses) are skipped.
 */
export function answerTo(query: DnsQuery, msg: Buffer): DnsAnswer | undefined {
  if (msg.length < HEADER_BYTES || msg.readUInt16BE(0) !== query.id || !(msg[2]! & 0x80))
    return undefined;
  const rcode = msg[3]! & 0x0f;
  const truncated = (msg[2]! & 0x02) !== 0;
  const questions = msg.readUInt16BE(4);
  const count = msg.readUInt16BE(6);
  let at = HEADER_BYTES;
  if (questions !== 1 && !(questions === 0 && rcode !== RCODE_NOERROR))
    throw malformed(`${questions} questions`);
  if (questions === 1) {
    const q = readName(msg, at);
    if (q.end + 4 > msg.length) throw malformed('a question past the end');
    if (
      q.name.toLowerCase() !== query.name.toLowerCase() ||
      msg.readUInt16BE(q.end) !== query.type ||
      msg.readUInt16BE(q.end + 2) !== CLASS_IN
    )
      throw malformed('an answer to another question');
    at = q.end + 4;
  }
  const lines: string[] = [];
  // A truncated answer may end mid-record (RFC 2181 §9): it is asked again over TCP unread.
  for (let i = 0; i < count && !truncated; i++) {
    const owner = readName(msg, at);
    if (owner.end + 10 > msg.length) throw malformed('a record past the end');
    const type = msg.readUInt16BE(owner.end);
    const klass = msg.readUInt16BE(owner.end + 2);
    const length = msg.readUInt16BE(owner.end + 8);
    const start = owner.end + 10;
    if (start + length > msg.length) throw malformed('a record past the end');
    if (type === query.type && klass === CLASS_IN)
      lines.push(renderRecord(msg, type, start, start + length));
    at = start + length;
  }
  return { rcode, truncated, lines };
}
