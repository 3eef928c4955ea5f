import { randomInt } from 'node:crypto';
import { down, fromNetworkError, up, type Check } from './check.js';
import { BerReader, integer, octets, oid, oidText, TAG, tlv } from './ber.js';
import { MalformedReplyError, serverText } from './server-reply.js';
import { udpExchange } from './udp-client.js';
import { DEFAULT_PORTS } from './default-ports.js';

// SNMPv2c (RFC 3416) GetRequest for one OID, BER-encoded by hand (src/ber.ts). A wrong community
// gets no answer at all (RFC 3584: the message is dropped), so an SNMPv3 engine-id discovery
// (RFC 3414 §4, needing no credentials) goes with it: an agent that answers that and not the GET
// has refused the community.

export const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const GET_REQUEST = 0xa0;
const RESPONSE = 0xa2;
const VERSION_2C = 1;
const VERSION_3 = 3;
/** Exceptions in a varbind's value (RFC 3416 §3). */
const EXCEPTIONS: ReadonlyMap<number, string> = new Map([
  [0x80, 'noSuchObject'],
  [0x81, 'noSuchInstance'],
  [0x82, 'endOfMibView'],
]);

const pdu = (tag: number, requestId: number, ...bindings: Buffer[]) =>
  tlv(tag, integer(requestId), integer(0), integer(0), tlv(TAG.SEQUENCE, ...bindings));

export function getRequest(community: string, requestId: number, name: string): Buffer {
  const binding = tlv(TAG.SEQUENCE, oid(name), tlv(TAG.NULL));
  return tlv(
    TAG.SEQUENCE,
    integer(VERSION_2C),
    octets(community),
    pdu(GET_REQUEST, requestId, binding),
  );
}

/** An SNMPv3 message without security (reportable): the agent answers with a Report. */
export function discovery(messageId: number): Buffer {
  const header = tlv(
    TAG.SEQUENCE,
    integer(messageId),
    integer(65507),
    octets(Buffer.from([0x04])),
    integer(3),
  );
  const empty = octets('');
  const usm = octets(tlv(TAG.SEQUENCE, empty, integer(0), integer(0), empty, empty, empty));
  const scoped = tlv(TAG.SEQUENCE, empty, empty, pdu(GET_REQUEST, messageId));
  return tlv(TAG.SEQUENCE, integer(VERSION_3), header, usm, scoped);
}

type Answer =
  | { kind: 'value'; text: string }
  | { kind: 'error'; status: number }
  | { kind: 'exception'; name: string };

/** A varbind's value as text: strings as UTF-8, numbers in decimal, OIDs dotted, others in hex. */
function valueText(tag: number, content: Buffer): string {
  if (tag === TAG.OCTET_STRING) return content.toString('utf8');
  if (tag === TAG.OID) return oidText(content);
  if (tag === 0x40 && content.length === 4) return [...content].join('.');
  if (
    (tag === TAG.INTEGER || (tag >= 0x41 && tag <= 0x43) || tag === 0x46) &&
    content.length <= 6
  ) {
    return content.length === 0 ? '0' : String(content.readUIntBE(0, content.length));
  }
  return content.toString('hex');
}

/**
 * Reads one datagram: the v2c Response to our request, or undefined (another request's answer,
 * or the v3 Report, which `onV3` notes).
 */
function readAnswer(
  datagram: Buffer,
  requestId: number,
  messageId: number,
  onV3: () => void,
): Answer | undefined {
  const message = new BerReader(new BerReader(datagram).next(TAG.SEQUENCE).content);
  const version = message.integer();
  if (version === VERSION_3) {
    if (new BerReader(message.next(TAG.SEQUENCE).content).integer() === messageId) onV3();
    return undefined;
  }
  if (version !== VERSION_2C) throw new MalformedReplyError(`SNMP version ${version + 1}`);
  message.next(TAG.OCTET_STRING);
  const response = new BerReader(message.next(RESPONSE).content);
  if (response.integer() !== requestId) return undefined;
  const status = response.integer();
  response.integer();
  if (status !== 0) return { kind: 'error', status };
  const bindings = new BerReader(response.next(TAG.SEQUENCE).content);
  const binding = new BerReader(bindings.next(TAG.SEQUENCE).content);
  binding.next(TAG.OID);
  const value = binding.next();
  const exception = EXCEPTIONS.get(value.tag);
  if (exception !== undefined) return { kind: 'exception', name: exception };
  return { kind: 'value', text: valueText(value.tag, value.content) };
}

/** error-status values that mean the community may not read (RFC 3416 §3). */
const ACCESS_ERRORS = new Set([6, 16]); // noAccess, authorizationError

/**
 * SNMPv2c: GET of the OID in `info` (default sysDescr.0) with the community in `password`
 * (default "public"); up on a value (containing `expect`, when set). An agent that answers only
 * the SNMPv3 discovery sent beside it has refused the community: "credentials".
 */
export const snmpCheck: Check = async (t, { timeoutMs }) => {
  const what = `snmp ${t.host}`;
  const name = t.info === '' ? SYS_DESCR : t.info;
  const community = t.password === '' ? 'public' : t.password;
  const requestId = randomInt(1, 0x7fffffff);
  const messageId = randomInt(1, 0x7fffffff);
  let alive = false;
  try {
    const requests = [getRequest(community, requestId, name), discovery(messageId)];
    const answer = await udpExchange(
      t.host,
      t.port || DEFAULT_PORTS.snmp,
      timeoutMs,
      requests,
      (d) => readAnswer(d, requestId, messageId, () => (alive = true)),
    );
    const quote = (s: string) => serverText(s, [community]);
    if (answer.kind === 'error') {
      const kind = ACCESS_ERRORS.has(answer.status) ? 'credentials' : 'content';
      return down(kind, `${what}: GET ${name} failed (error-status ${answer.status})`);
    }
    if (answer.kind === 'exception') return down('content', `${what}: ${name}: ${answer.name}`);
    if (t.expect !== '' && !answer.text.includes(t.expect)) {
      return down(
        'content',
        `${what}: ${name} does not contain the expected text`,
        `expected: ${t.expect}`,
      );
    }
    return up(`${what}: ${name} = ${quote(answer.text)}`, answer.text);
  } catch (err) {
    if (err instanceof RangeError) return down('other', `${what}: ${err.message}`);
    if (alive && (err as { code?: string }).code === 'CHECK_TIMEOUT') {
      return down('credentials', `${what}: the agent answers SNMPv3 but not this community`);
    }
    return fromNetworkError(err, what);
  }
};
