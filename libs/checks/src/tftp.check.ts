import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { hasContentRules } from '@checkwire/check-settings';
import { down, fromNetworkError, up, withTimeout, type Check } from './check.js';
import { LimitExceededError, MAX_CONVERSATION_BYTES } from './limits.js';
import { MalformedReplyError, serverText } from './server-reply.js';
import { UDP_RETRANSMIT_MS } from './udp-client.js';
import { DEFAULT_PORTS } from './default-ports.js';

// TFTP (RFC 1350), read only: RRQ in octet mode, DATA blocks of 512 bytes each ACKed, the last one
// shorter. The server answers from a new port (its transfer id), so the transfer runs on an
// unconnected socket that takes datagrams from that address and port only.

const RRQ = 1;
const DATA = 3;
const ACK = 4;
const ERROR = 5;
const BLOCK_BYTES = 512;

const opcode = (op: number, ...rest: Buffer[]) => {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(op);
  return Buffer.concat([head, ...rest]);
};
const block = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const zString = (s: string) => Buffer.from(`${s}\0`, 'utf8');

export const rrq = (file: string) => opcode(RRQ, zString(file), zString('octet'));
const ack = (n: number) => opcode(ACK, block(n));
/** An ERROR packet (code 0, "not defined"): ends a transfer; a server never answers one. */
const cancel = () => opcode(ERROR, block(0), zString('checkwire: done'));

export class TftpError extends Error {
  override readonly name = 'TftpError';
}

interface Transfer {
  /** The file's bytes, or its first bytes when the expected text stopped the transfer. */
  content: Buffer;
  complete: boolean;
}

/**
 * Reads `file` into memory (at most MAX_CONVERSATION_BYTES), until its last block or until
 * `expected` has arrived. A closed port is found by a second, connected socket that sends the server
 * an ERROR packet (never answered): the ICMP "port unreachable" fails it as ECONNREFUSED.
 */
async function read(
  host: string,
  port: number,
  file: string,
  timeoutMs: number,
  expected: Buffer | undefined,
): Promise<Transfer> {
  // The lookup is within the time limit too: a resolver that hangs must not stretch the check.
  const started = Date.now();
  const { address, family } = await withTimeout(lookup(host), timeoutMs);
  const left = Math.max(1, timeoutMs - (Date.now() - started));
  const type = family === 6 ? 'udp6' : 'udp4';
  const socket: Socket = createSocket(type);
  const probe: Socket = createSocket(type);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await withTimeout(
      new Promise<Transfer>((resolve, reject) => {
        let content: Buffer = Buffer.alloc(16 * BLOCK_BYTES);
        let length = 0;
        let blocks = 0;
        let received = 0;
        let tid: number | undefined;
        let last: Buffer = rrq(file);
        let server = port;
        const send = (packet: Buffer) => {
          last = packet;
          socket.send(packet, server, address, (err) => err && reject(err));
        };
        socket.on('error', reject);
        probe.on('error', reject);
        probe.on('message', () => undefined);
        socket.on('message', (d, from) => {
          // Datagrams from anyone but the server (stray, or spoofed) are neither read nor counted.
          if (from.address !== address || (tid !== undefined && from.port !== tid)) return;
          received += d.length;
          if (received > MAX_CONVERSATION_BYTES) {
            reject(
              new LimitExceededError(
                `more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
              ),
            );
            return;
          }
          if (d.length < 4) return reject(new MalformedReplyError(`a packet of ${d.length} bytes`));
          const op = d.readUInt16BE(0);
          if (op === ERROR) {
            const message = d
              .subarray(4)
              .toString('utf8')
              .replace(/\0[\s\S]*$/, '');
            return reject(new TftpError(`error ${d.readUInt16BE(2)}: ${serverText(message)}`));
          }
          if (op !== DATA) return reject(new MalformedReplyError(`opcode ${op}, not DATA`));
          const n = d.readUInt16BE(2);
          if (n !== blocks + 1) {
            // A duplicate of the last block (our ACK was lost): ACK it again; ignore others.
            if (n === blocks && n > 0) send(ack(n));
            return;
          }
          if (d.length > 4 + BLOCK_BYTES) {
            return reject(
              new MalformedReplyError(`a DATA block of ${d.length - 4} bytes (more than 512)`),
            );
          }
          tid ??= from.port;
          server = tid;
          const data = d.subarray(4);
          if (length + data.length > content.length) {
            const grown = Buffer.alloc(Math.min(content.length * 2, MAX_CONVERSATION_BYTES));
            content.copy(grown, 0, 0, length);
            content = grown;
          }
          data.copy(content, length);
          // Only what the new block can complete is searched (each byte once, or nearly).
          const searchFrom = Math.max(0, length - (expected?.length ?? 0) + 1);
          length += data.length;
          blocks = n;
          const complete = data.length < BLOCK_BYTES;
          const found =
            expected !== undefined &&
            content.subarray(0, length).indexOf(expected, searchFrom) >= 0;
          send(complete || !found ? ack(n) : cancel());
          if (complete || found) resolve({ content: content.subarray(0, length), complete });
        });
        socket.bind(0, () => {
          send(last);
          probe.connect(port, address, () => probe.send(cancel(), (err) => err && reject(err)));
          // Lost datagrams: the request, or our last ACK, again until the time limit.
          timer = setInterval(() => send(last), UDP_RETRANSMIT_MS);
        });
      }),
      left,
    );
  } finally {
    clearInterval(timer);
    socket.close();
    probe.close();
  }
}

/**
 * TFTP: reads the file `info` names (octet mode, at most MAX_CONVERSATION_BYTES); up when it
 * arrives whole, or, with `expect` set, as soon as its content holds that text. A TFTP ERROR
 * (file not found, access violation) and a file without the text are "content".
 */
export const tftpCheck: Check = async (t, { timeoutMs }) => {
  const what = `tftp ${t.host}`;
  if (t.info === '') return down('other', `${what}: no file named in team_specific_info`);
  try {
    const expected = t.expect;
    // Content rules judge the whole file: no stopping at the expected text then.
    const needle =
      expected === '' || hasContentRules(t.settings) ? undefined : Buffer.from(expected, 'utf8');
    const got = await read(t.host, t.port || DEFAULT_PORTS.tftp, t.info, timeoutMs, needle);
    if (expected !== '' && !got.content.includes(expected)) {
      return down(
        'content',
        `${what}: ${t.info} does not contain the expected text`,
        `expected: ${expected}`,
      );
    }
    return up(
      `${what}: read ${t.info}${got.complete ? ` (${got.content.length} bytes)` : ''}`,
      got.content,
    );
  } catch (err) {
    if (err instanceof TftpError) return down('content', `${what}: ${t.info}: ${err.message}`);
    return fromNetworkError(err, what);
  }
};
