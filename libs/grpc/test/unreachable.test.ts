import { createServer, type Server, type Socket } from 'node:net';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPromiseClient,
  describeCallError,
  isGrpcError,
  ServerUnreachableError,
} from '../src/index.js';
import { bytesMethod } from './bytes-method.js';

// A call that gets no connection fails with one sentence naming the address, and keeps its code.
// Real sockets on 127.0.0.1; no clock is read (the silent port's failure is its 300 ms deadline).

const method = (responseStream: boolean) => bytesMethod('Nobody', 'Call', responseStream);
const definition = {
  call: method(false),
  watch: { ...method(true), responseStream: true as const },
};

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `127.0.0.1:${address.port}`;
}

/** A port the system just gave out and that nothing listens on any more. */
let closedPort: string;
/** A port that accepts TCP connections and never says a word (no HTTP/2 handshake). */
let silentPort: string;
const silent = createServer((socket) => sockets.push(socket));
const sockets: Socket[] = [];
beforeAll(async () => {
  const closed = createServer();
  closedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
  silentPort = await listen(silent);
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe('a server that cannot be reached', () => {
  it('refused: UNAVAILABLE at once, in one sentence naming the address', async () => {
    const client = createPromiseClient(definition, closedPort);
    try {
      const err: unknown = await client.call(Buffer.from('')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServerUnreachableError);
      expect(isGrpcError(err, status.UNAVAILABLE)).toBe(true);
      expect(err).toMatchObject({
        code: status.UNAVAILABLE,
        message: `${closedPort} is unreachable (connection refused); is the server running?`,
        details: `${closedPort} is unreachable (connection refused); is the server running?`,
      });
      expect(describeCallError(err)).toBe(
        `UNAVAILABLE: ${closedPort} is unreachable (connection refused); is the server running?`,
      );
      // grpc-js's own text stays available for a debugging session.
      expect(String((err as Error).cause)).toContain('ECONNREFUSED');
    } finally {
      client.close();
    }
  });

  it('refused, with retries: still UNAVAILABLE and the same sentence after the last attempt', async () => {
    const client = createPromiseClient(definition, closedPort);
    try {
      await expect(
        client.call(Buffer.from(''), { retry: { initialBackoffMs: 1 } }),
      ).rejects.toMatchObject({
        code: status.UNAVAILABLE,
        details: `${closedPort} is unreachable (connection refused); is the server running?`,
      });
    } finally {
      client.close();
    }
  });

  it('refused, for a stream: the same, even when it is iterated only after it failed', async () => {
    const client = createPromiseClient(definition, closedPort);
    try {
      const stream = client.watch(Buffer.from(''));
      // The stream's call was queued first, so it has failed by the time this one has.
      await expect(client.call(Buffer.from(''))).rejects.toBeInstanceOf(ServerUnreachableError);
      await expect(stream[Symbol.asyncIterator]().next()).rejects.toMatchObject({
        code: status.UNAVAILABLE,
        details: `${closedPort} is unreachable (connection refused); is the server running?`,
      });
    } finally {
      client.close();
    }
  });

  it('silent: DEADLINE_EXCEEDED at the deadline, saying no connection was made', async () => {
    const client = createPromiseClient(definition, silentPort);
    try {
      await expect(client.call(Buffer.from(''), { deadlineMs: 300 })).rejects.toMatchObject({
        name: 'ServerUnreachableError',
        code: status.DEADLINE_EXCEEDED,
        details: `${silentPort} is unreachable (no connection within 300 ms); is the server running?`,
      });
    } finally {
      client.close();
    }
  });
});
