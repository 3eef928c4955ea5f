import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '@checkwire/proto';
import { connect, grpcError, startHarness, type Clients, type Harness } from './harness.js';

// A caller cannot hold a server's memory with streams it never reads: each token (or public
// address) holds at most `streamsPerCaller` open streams.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ streamsPerCaller: 2 });
});
afterAll(() => h.stop());

/** Opens a status watch and waits for its first message (the stream is then open). */
async function openWatch(c: Clients) {
  const controller = new AbortController();
  const stream = c.status.watchServiceStatus({}, { signal: controller.signal, deadlineMs: 30_000 });
  const iterator = stream[Symbol.asyncIterator]();
  await iterator.next();
  return { iterator, close: () => controller.abort() };
}

describe('streams per caller', () => {
  it('refuses a stream past the limit with RESOURCE_EXHAUSTED, per token, and frees the slot on close', async () => {
    const { secret } = await h.tokens.createToken({ name: 'watcher', role: Role.ROLE_RED });
    const red = connect(h.app.address, secret);
    try {
      const first = await openWatch(red);
      const second = await openWatch(red);
      const third = red.status.watchServiceStatus({}, { deadlineMs: 30_000 });
      expect(await grpcError(third[Symbol.asyncIterator]().next())).toEqual({
        code: status.RESOURCE_EXHAUSTED,
        details:
          'this caller already has 2 open streams on this server (at most 2); close one before opening another',
      });
      // Another caller is not affected.
      const admin = await openWatch(h);
      admin.close();
      // A closed stream frees its slot.
      first.close();
      let reopened: Awaited<ReturnType<typeof openWatch>> | undefined;
      while (reopened === undefined) {
        try {
          reopened = await openWatch(red);
        } catch {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      reopened.close();
      second.close();
    } finally {
      red.close();
    }
  });
});
