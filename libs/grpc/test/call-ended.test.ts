import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPromiseClient,
  startGrpcServer,
  unary,
  type RunningGrpcServer,
} from '../src/index.js';
import { bytesMethod } from './bytes-method.js';

// A handler's AbortSignal is built when it first asks for it, and `ended` tells the same without
// one. A signal asked for before the caller goes is aborted then (deadlines.test.ts); these are
// the other cases.

const definition = {
  outlive: bytesMethod('Ended', 'Outlive', false),
  answer: bytesMethod('Ended', 'Answer', false),
};

interface Seen {
  signalAbortedWhenBuilt: boolean;
  reason: unknown;
}

let started: () => void = () => undefined;
let report: (seen: Seen) => void = () => undefined;
let server: RunningGrpcServer;

beforeAll(async () => {
  server = await startGrpcServer({
    services: [
      {
        name: 'checkwire.test.Ended',
        definition,
        implementation: {
          // Outlives its caller, then asks for its signal for the first time.
          outlive: unary(async (_req: Buffer, context) => {
            started();
            while (!context.ended.aborted) await new Promise((r) => setImmediate(r));
            const signal = context.signal;
            report({
              signalAbortedWhenBuilt: signal.aborted,
              reason: (signal.reason as Error | undefined)?.message,
            });
            return Buffer.from('nobody is listening');
          }),
          answer: unary((_req: Buffer, context) =>
            Promise.resolve(Buffer.from(`ended=${context.ended.aborted}`)),
          ),
        },
      },
    ],
  });
});
afterAll(() => server.shutdown());

describe('a call that ended', () => {
  it('is ended, and its signal aborted, when the handler first looks after the caller went', async () => {
    const running = new Promise<void>((resolve) => (started = resolve));
    const seen = new Promise<Seen>((resolve) => (report = resolve));
    const client = createPromiseClient(definition, server.address);
    const caller = new AbortController();
    try {
      const call = client.outlive(Buffer.from(''), { signal: caller.signal });
      await running;
      caller.abort();
      await expect(call).rejects.toMatchObject({ code: status.CANCELLED });
      expect(await seen).toEqual({ signalAbortedWhenBuilt: true, reason: 'call cancelled' });
    } finally {
      client.close();
    }
  });

  it('is not ended while its handler runs', async () => {
    const client = createPromiseClient(definition, server.address);
    try {
      expect((await client.answer(Buffer.from(''))).toString()).toBe('ended=false');
    } finally {
      client.close();
    }
  });
});
