import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPromiseClient,
  serverStream,
  ServerUnreachableError,
  startGrpcServer,
  unary,
  type RunningGrpcServer,
} from '../src/index.js';
import { bytesMethod } from './bytes-method.js';

// Unary calls get the client's default deadline; server streams get none unless they ask. No
// clock is read: the stream outlives the default deadline because a unary call started after the
// stream opened has run out of it while the stream is still open.

const method = (name: string, responseStream: boolean) =>
  bytesMethod('Clock', name, responseStream);
const definition = {
  hang: method('Hang', false),
  release: method('Release', false),
  watch: { ...method('Watch', true), responseStream: true as const },
};

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

let release: () => void = () => undefined;
let watchCancelled: Promise<void> = Promise.resolve();
let server: RunningGrpcServer;
beforeAll(async () => {
  server = await startGrpcServer({
    services: [
      {
        name: 'checkwire.test.Clock',
        definition,
        implementation: {
          // Answers only when cancelled (by the client's deadline).
          hang: unary(async (_req: Buffer, context) => {
            await aborted(context.signal);
            return Buffer.from('never sent');
          }),
          release: unary(() => {
            release();
            return Promise.resolve(Buffer.from('released'));
          }),
          // One message, then silence until Release; then a last message and the end.
          watch: serverStream(async function* (_req: Buffer, context) {
            watchCancelled = aborted(context.signal);
            const released = new Promise<void>((resolve) => (release = resolve));
            yield Buffer.from('first');
            await Promise.race([released, watchCancelled]);
            yield Buffer.from('last');
          }),
        },
      },
    ],
  });
});
afterAll(() => server.shutdown());

const text = (r: IteratorResult<Buffer>) => (r.done === true ? 'done' : r.value.toString());

describe('deadlines', () => {
  it('a server stream stays open past the default deadline that ends a unary call of the same client', async () => {
    const client = createPromiseClient(definition, server.address, { defaultDeadlineMs: 200 });
    try {
      const stream = client.watch(Buffer.from(''))[Symbol.asyncIterator]();
      expect(text(await stream.next())).toBe('first');

      const hung = client.hang(Buffer.from(''));
      await expect(hung).rejects.toMatchObject({ code: status.DEADLINE_EXCEEDED });
      // The server was reached: a slow answer is not an unreachable server.
      await expect(hung).rejects.not.toBeInstanceOf(ServerUnreachableError);

      await client.release(Buffer.from(''));
      expect(text(await stream.next())).toBe('last');
      expect(text(await stream.next())).toBe('done');
    } finally {
      client.close();
    }
  });

  it('a stream that asks for a deadline gets it', async () => {
    const client = createPromiseClient(definition, server.address);
    try {
      const stream = client.watch(Buffer.from(''), { deadlineMs: 200 })[Symbol.asyncIterator]();
      expect(text(await stream.next())).toBe('first');
      await expect(stream.next()).rejects.toMatchObject({ code: status.DEADLINE_EXCEEDED });
    } finally {
      client.close();
    }
  });

  it('leaving a stream loop early cancels the call on the server', async () => {
    const client = createPromiseClient(definition, server.address);
    try {
      for await (const message of client.watch(Buffer.from(''))) {
        expect(message.toString()).toBe('first');
        break;
      }
      await watchCancelled;
    } finally {
      client.close();
    }
  });
});
