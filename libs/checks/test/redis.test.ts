import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONVERSATION_BYTES, MAX_LINE_BYTES } from '../src/index.js';
import { ByteClient } from '../src/byte-client.js';
import { respCommand } from '../src/redis.check.js';
import type { Daemon } from './daemons.js';
import { startFloodServer, writtenBound, type FloodOptions } from './flood-server.js';
import {
  answerOnceServer,
  check,
  closedPort,
  OPTIONS,
  silentTcpServer,
  target,
} from './helpers.js';
import { startRedis } from './service-daemons.js';

// The redis check against redis-server (a default-user password and an ACL user), a closed port,
// a silent server and hostile ones beside a healthy check.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const redis = check('redis');
let server: Daemon;
let port: number;

beforeAll(async () => {
  server = await startRedis('default-pw', 'alice', 'alice-pw');
  closers.push(() => server.stop());
  port = server.ports.redis!;
  const c = await ByteClient.open('127.0.0.1', port, 5000);
  try {
    c.write(respCommand('AUTH', 'alice', 'alice-pw'));
    expect(await c.readLine()).toBe('+OK');
    c.write(respCommand('SET', 'motd', 'Welcome to Team 7'));
    expect(await c.readLine()).toBe('+OK');
  } finally {
    c.close();
  }
});

describe('redis', () => {
  it('is up with an ACL user or the default password, and reads a key', async () => {
    expect(await redis(target(port, { username: 'alice', password: 'alice-pw' }), OPTIONS)).toEqual(
      {
        up: true,
        message: 'redis 127.0.0.1: PONG',
      },
    );
    expect(await redis(target(port, { password: 'default-pw' }), OPTIONS)).toMatchObject({
      up: true,
      message: 'redis 127.0.0.1: PONG',
    });
    const t = target(port, {
      username: 'alice',
      password: 'alice-pw',
      info: 'motd',
      expect: 'Team 7',
    });
    expect(await redis(t, OPTIONS)).toMatchObject({
      up: true,
      message: 'redis 127.0.0.1: key motd holds the expected text',
    });
  });

  it('reports wrong or missing credentials', async () => {
    const wrong = await redis(target(port, { username: 'alice', password: 'nope' }), OPTIONS);
    expect(wrong).toEqual({
      up: false,
      kind: 'credentials',
      message: expect.stringMatching(/^redis 127\.0\.0\.1: AUTH refused: WRONGPASS/),
    });
    expect(wrong.message).not.toContain('nope');
    // A server that echoes the password back: masked in the message.
    const echo = await answerOnceServer('-ERR s3cret is not the password\r\n');
    closers.push(() => echo.close());
    expect(await redis(target(echo.port, { password: 's3cret' }), OPTIONS)).toEqual({
      up: false,
      kind: 'credentials',
      message: 'redis 127.0.0.1: AUTH refused: ERR *** is not the password',
    });
    expect(await redis(target(port), OPTIONS)).toEqual({
      up: false,
      kind: 'credentials',
      message: expect.stringMatching(/^redis 127\.0\.0\.1: PING refused: NOAUTH/),
    });
  });

  it('reports a missing key and a value without the expected text', async () => {
    const t = target(port, {
      username: 'alice',
      password: 'alice-pw',
      info: 'motd',
      expect: 'Team 9',
    });
    expect(await redis(t, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'redis 127.0.0.1: key motd does not hold the expected text',
      detail: 'expected: Team 9',
    });
    expect(await redis({ ...t, info: 'nokey' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'redis 127.0.0.1: key nokey does not exist',
    });
  });

  it('reports a refused connection and a server that never answers', async () => {
    expect(await redis(target(await closedPort()), OPTIONS)).toMatchObject({
      up: false,
      kind: 'connection',
      message: 'redis 127.0.0.1: ECONNREFUSED',
    });
    const silent = await silentTcpServer();
    closers.push(() => silent.close());
    expect(await redis(target(silent.port), { timeoutMs: 300 })).toEqual({
      up: false,
      kind: 'timeout',
      message: 'redis 127.0.0.1: timed out',
    });
  });

  const hostile: { name: string; server: FloodOptions; message: string; limitBytes: number }[] = [
    {
      name: 'a bulk string of 900 MB',
      server: { waitForClient: true, preamble: '$900000000\r\n', flood: 'a'.repeat(1024) },
      message: `redis 127.0.0.1: bulk string of 900000000 bytes (more than ${MAX_CONVERSATION_BYTES})`,
      limitBytes: 0,
    },
    {
      name: 'a reply line that never ends',
      server: { waitForClient: true, preamble: '+', flood: 'x' },
      message: `redis 127.0.0.1: line longer than ${MAX_LINE_BYTES} bytes`,
      limitBytes: MAX_LINE_BYTES + 3,
    },
    {
      name: 'bulk strings instead of PONG, without end',
      server: { waitForClient: true, flood: `$4\r\nPONG\r\n` },
      message: 'redis 127.0.0.1: PING answered bulk, not PONG',
      limitBytes: 0,
    },
    {
      name: 'no RESP at all',
      server: { flood: '\x00\x01garbage\r\n' },
      message: 'redis 127.0.0.1: not a RESP reply: \\x00\\x01garbage',
      limitBytes: 0,
    },
  ];

  it('fails hostile servers as content and hangs up, while a healthy check beside them passes', async () => {
    const floods = await Promise.all(hostile.map((h) => startFloodServer(h.server)));
    for (const f of floods) closers.push(() => f.close());
    const healthy = target(port, { username: 'alice', password: 'alice-pw', info: 'motd' });
    const [results, ok] = await Promise.all([
      Promise.all(floods.map((f) => redis(target(f.port), { timeoutMs: 10_000 }))),
      redis(healthy, OPTIONS),
    ]);
    expect(results).toEqual(
      hostile.map((h) => ({ up: false, kind: 'content', message: h.message })),
    );
    expect(ok).toMatchObject({ up: true });
    for (const [i, h] of hostile.entries()) {
      expect(await floods[i]!.hungUp).toBeLessThanOrEqual(writtenBound(h.limitBytes));
    }
  });
});
