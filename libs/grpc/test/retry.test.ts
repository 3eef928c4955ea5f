import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, UnavailableError } from '@checkwire/errors';
import {
  createPromiseClient,
  startGrpcServer,
  unary,
  type RunningGrpcServer,
} from '../src/index.js';
import { bytesMethod } from './bytes-method.js';

const method = bytesMethod('Flaky', 'Call');
const definition = { call: method };

// The server fails the first `failures` calls of each request key with the given error.
const seen = new Map<string, number>();
let server: RunningGrpcServer;
beforeAll(async () => {
  server = await startGrpcServer({
    services: [
      {
        name: 'checkwire.test.Flaky',
        definition,
        implementation: {
          call: unary(async (req: Buffer) => {
            const [key, failures, kind] = req.toString().split(':');
            const n = (seen.get(key!) ?? 0) + 1;
            seen.set(key!, n);
            if (n <= Number(failures)) {
              throw kind === 'bad'
                ? new InvalidArgumentError('x', 'bad')
                : new UnavailableError('try later');
            }
            return Promise.resolve(Buffer.from(`ok after ${n}`));
          }),
        },
      },
    ],
  });
});
afterAll(() => server.shutdown());

describe('retries', () => {
  const client = () => createPromiseClient(definition, server.address);

  it('retry UNAVAILABLE when the caller marks the call idempotent', async () => {
    const c = client();
    const res = await c.call(Buffer.from('a:2:unavailable'), { retry: { initialBackoffMs: 1 } });
    expect(res.toString()).toBe('ok after 3');
    c.close();
  });

  it('do not retry unless asked, nor answers that are not transport failures', async () => {
    const c = client();
    await expect(c.call(Buffer.from('b:1:unavailable'))).rejects.toMatchObject({
      code: status.UNAVAILABLE,
      details: 'try later',
    });
    expect(seen.get('b')).toBe(1);
    await expect(c.call(Buffer.from('c:1:bad'), { retry: true })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
    expect(seen.get('c')).toBe(1);
    c.close();
  });

  it('stop after maxAttempts', async () => {
    const c = client();
    await expect(
      c.call(Buffer.from('d:10:unavailable'), { retry: { maxAttempts: 3, initialBackoffMs: 1 } }),
    ).rejects.toMatchObject({ code: status.UNAVAILABLE });
    expect(seen.get('d')).toBe(3);
    c.close();
  });
});
