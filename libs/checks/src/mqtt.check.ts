import { randomBytes } from 'node:crypto';
import { down, fromNetworkError, up, type Check } from './check.js';
import { ByteClient } from './byte-client.js';
import { MAX_CONVERSATION_BYTES } from './limits.js';
import { MalformedReplyError } from './server-reply.js';
import { DEFAULT_PORTS } from './default-ports.js';

// MQTT 3.1.1 (OASIS standard, 2014), written from the specification: CONNECT → CONNACK, and
// optionally SUBSCRIBE → SUBACK and the topic's retained PUBLISH.

const CONNECT = 0x10;
const CONNACK = 0x20;
const PUBLISH = 0x30;
const SUBSCRIBE = 0x82; // its fixed header's flags must be 0010
const SUBACK = 0x90;
const DISCONNECT = Buffer.from([0xe0, 0x00]);

/** CONNACK return codes (3.2.2.3). */
const REFUSED: ReadonlyMap<number, string> = new Map([
  [1, 'unacceptable protocol version'],
  [2, 'identifier rejected'],
  [3, 'server unavailable'],
  [4, 'bad user name or password'],
  [5, 'not authorized'],
]);

/** A UTF-8 string: two bytes of length, then the bytes (1.5.3). */
const utf8 = (s: string) => {
  const bytes = Buffer.from(s, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
};

/** The remaining length: 7 bits a byte, least significant first, at most 4 bytes (2.2.3). */
function remainingLength(n: number): Buffer {
  const out: number[] = [];
  let rest = n;
  do {
    const byte = rest % 128;
    rest = Math.floor(rest / 128);
    out.push(rest > 0 ? byte | 0x80 : byte);
  } while (rest > 0);
  return Buffer.from(out);
}

const packet = (type: number, body: Buffer) =>
  Buffer.concat([Buffer.from([type]), remainingLength(body.length), body]);

/** CONNECT with a clean session; the password only with a user name (3.1.2.9). */
export function connectPacket(clientId: string, username: string, password: string): Buffer {
  const withUser = username !== '' || password !== '';
  const flags = (withUser ? 0x80 : 0) | (password !== '' ? 0x40 : 0) | 0x02;
  const keepAliveSeconds = [0x00, 0x1e];
  return packet(
    CONNECT,
    Buffer.concat([
      utf8('MQTT'),
      Buffer.from([0x04, flags, ...keepAliveSeconds]),
      utf8(clientId),
      ...(withUser ? [utf8(username)] : []),
      ...(password !== '' ? [utf8(password)] : []),
    ]),
  );
}

interface Packet {
  type: number;
  body: Buffer;
}

async function readPacket(c: ByteClient): Promise<Packet> {
  const [type] = await c.readExactly(1);
  let length = 0;
  for (let i = 0, factor = 1; ; i++, factor *= 128) {
    if (i === 4) throw new MalformedReplyError('remaining length longer than 4 bytes');
    const [byte] = await c.readExactly(1);
    length += (byte! & 0x7f) * factor;
    if ((byte! & 0x80) === 0) break;
  }
  if (length > MAX_CONVERSATION_BYTES) {
    throw new MalformedReplyError(
      `a packet of ${length} bytes (more than ${MAX_CONVERSATION_BYTES})`,
    );
  }
  return { type: type!, body: await c.readExactly(length) };
}

/** The topic's retained message: SUBSCRIBE at QoS 0, then the first PUBLISH (or a refusal). */
async function retained(c: ByteClient, topic: string): Promise<Buffer | 'refused'> {
  const packetId = Buffer.from([0x00, 0x01]);
  c.write(packet(SUBSCRIBE, Buffer.concat([packetId, utf8(topic), Buffer.from([0x00])])));
  const wildcard = /[+#]/.test(topic);
  for (;;) {
    const p = await readPacket(c);
    // SUBACK return code 0x80: the broker refuses the subscription (its ACL, 3.9.3).
    if (p.type === SUBACK && p.body[2] === 0x80) return 'refused';
    if ((p.type & 0xf0) !== PUBLISH) continue;
    if (p.body.length < 2) throw new MalformedReplyError('PUBLISH too short');
    const topicLength = p.body.readUInt16BE(0);
    const name = p.body.subarray(2, 2 + topicLength).toString('utf8');
    // A filter with wildcards takes any topic the broker sends; a plain one only itself.
    if (!wildcard && name !== topic) continue;
    // QoS 1 and 2 carry a packet identifier after the topic (3.3.2.2).
    const idLength = (p.type & 0x06) === 0 ? 0 : 2;
    return p.body.subarray(2 + topicLength + idLength);
  }
}

/**
 * MQTT 3.1.1: CONNECT (with the user name and password when set) → CONNACK 0; return code 4 or 5
 * is "credentials". When `info` names a topic, its retained message must arrive (and contain
 * `expect`, when set); a refused subscription is "credentials" too.
 */
export const mqttCheck: Check = async (t, { timeoutMs }) => {
  const what = `mqtt ${t.host}`;
  let c: ByteClient | undefined;
  try {
    c = await ByteClient.open(t.host, t.port || DEFAULT_PORTS.mqtt, timeoutMs);
    c.write(connectPacket(`checkwire-${randomBytes(6).toString('hex')}`, t.username, t.password));
    const ack = await readPacket(c);
    if (ack.type !== CONNACK || ack.body.length !== 2) {
      return down('content', `${what}: answered packet type ${ack.type >> 4}, not CONNACK`);
    }
    const code = ack.body[1]!;
    if (code === 4 || code === 5) return down('credentials', `${what}: ${REFUSED.get(code)}`);
    if (code !== 0) {
      return down(
        'content',
        `${what}: connection refused (${REFUSED.get(code) ?? `code ${code}`})`,
      );
    }
    let content: Buffer | undefined;
    if (t.info !== '') {
      const message = await retained(c, t.info).catch((err: unknown) => {
        if ((err as { code?: string }).code !== 'CHECK_TIMEOUT') throw err;
        return undefined;
      });
      if (message === undefined)
        return down('content', `${what}: no retained message on ${t.info}`);
      if (message === 'refused') {
        return down('credentials', `${what}: subscription to ${t.info} refused`);
      }
      if (t.expect !== '' && !message.includes(t.expect)) {
        return down(
          'content',
          `${what}: ${t.info} does not hold the expected text`,
          `expected: ${t.expect}`,
        );
      }
      content = message;
    }
    c.write(DISCONNECT);
    return up(
      `${what}: connection accepted${t.info === '' ? '' : `, ${t.info} retained`}`,
      content,
    );
  } catch (err) {
    return fromNetworkError(err, what);
  } finally {
    c?.close();
  }
};
