import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import { listen, portOf } from './helpers.js';

// Stand-ins for what no real DNS server sends (RFC 1035 §4.1 written by hand): malformed answers,
// answers to other queries, floods. Each builds its answer from the query it was sent.

/** The query's question section (its name, type and class), to repeat in an answer. */
export function question(query: Buffer): Buffer {
  let i = 12;
  while (query[i]! !== 0) i += query[i]! + 1;
  return query.subarray(12, i + 5);
}

/** A response header for `query`: its id, QR AA RD (and TC), an rcode, these counts. */
export function header(query: Buffer, answers: number, o: { tc?: boolean; rcode?: number } = {}) {
  const h = Buffer.alloc(12);
  query.copy(h, 0, 0, 2);
  h[2] = 0x85 | (o.tc === true ? 0x02 : 0);
  h[3] = 0x80 | (o.rcode ?? 0);
  h.writeUInt16BE(1, 4);
  h.writeUInt16BE(answers, 6);
  return h;
}

/** An A record whose owner is the question's name (a pointer to offset 12). */
export const aRecord = (i: number, length = 4) =>
  Buffer.concat([
    Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, length]),
    Buffer.from(Array.from({ length }, (_, k) => (k === 2 ? i >> 8 : k === 3 ? i & 255 : 10))),
  ]);

/** A well-formed answer of `count` A records 10.10.x.y. */
export const manyAnswers = (query: Buffer, count: number) =>
  Buffer.concat([
    header(query, count),
    question(query),
    ...Array.from({ length: count }, (_, i) => aRecord(i)),
  ]);

/** Answers every query on UDP `port` as truncated (TC: "ask again over TCP"). */
export async function truncatingUdp(port: number): Promise<() => Promise<void>> {
  const udp = createSocket('udp4');
  udp.on('message', (query, from) =>
    udp.send(
      Buffer.concat([header(query, 0, { tc: true }), question(query)]),
      from.port,
      from.address,
    ),
  );
  await new Promise<void>((r) => udp.bind(port, '127.0.0.1', () => r()));
  return () => new Promise((r) => udp.close(() => r()));
}

/** A TCP server handing each connection, and the query it sent, to `answer`. */
export async function tcpStandIn(
  answer: (socket: Socket, query: Buffer) => void,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = await listen(
    createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('data', (message) => answer(socket, message.subarray(2)));
    }),
  );
  return {
    port: portOf(server),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A DNS message over TCP: its length in two bytes, then the message (RFC 1035 §4.2.2). */
export const framed = (message: Buffer) =>
  Buffer.concat([Buffer.from([message.length >> 8, message.length & 255]), message]);

/**
 * A UDP server that answers each query with `datagram(query)` again and again, one per turn of
 * the event loop (so the client in this process reads on its turns and the kernel drops little),
 * until it has sent `maxBytes` for that query.
 */
export async function udpFlood(
  datagram: (query: Buffer) => Buffer,
  maxBytes: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = createSocket('udp4');
  let closed = false;
  server.on('message', (query, from) => {
    const d = datagram(query);
    let sent = 0;
    const more = () => {
      if (closed || sent >= maxBytes) return;
      sent += d.length;
      server.send(d, from.port, from.address, () => setImmediate(more));
    };
    more();
  });
  await new Promise<void>((r) => server.bind(0, '127.0.0.1', () => r()));
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        closed = true;
        server.close(() => resolve());
      }),
  };
}
