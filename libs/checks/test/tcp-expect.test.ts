import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONVERSATION_BYTES } from '../src/index.js';
import type { Daemon } from './daemons.js';
import { startFloodServer, writtenBound } from './flood-server.js';
import { check, closedPort, OPTIONS, silentTcpServer, target } from './helpers.js';
import { startRedis } from './service-daemons.js';

// The generic send/expect check against a real server that speaks a line protocol (redis-server:
// inline commands), a closed port, a silent server and an endless one beside a healthy check.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const tcpExpect = check('tcp-expect');
let server: Daemon;
let port: number;
beforeAll(async () => {
  server = await startRedis('default-pw', 'alice', 'alice-pw');
  closers.push(() => server.stop());
  port = server.ports.redis!;
});

describe('tcp-expect', () => {
  it('sends the request and is up when the expected text comes', async () => {
    const t = target(port, { info: 'AUTH alice alice-pw\\r\\nPING\\r\\n', expect: '+PONG\\r\\n' });
    expect(await tcpExpect(t, OPTIONS)).toMatchObject({
      up: true,
      message: `tcp-expect 127.0.0.1:${port}: answered the expected text`,
    });
    expect(await tcpExpect(target(port), OPTIONS)).toMatchObject({
      up: true,
      message: `tcp-expect 127.0.0.1:${port}: connected`,
    });
  });

  it('reports an answer without the expected text as content', async () => {
    // The server answers and keeps the connection open: the time limit ends the wait.
    const t = target(port, { info: 'PING\\r\\n', expect: 'PONG' });
    expect(await tcpExpect(t, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: expect.stringMatching(
        new RegExp(
          `^tcp-expect 127\\.0\\.0\\.1:${port}: no expected text after \\d+ bytes \\(timed out\\)$`,
        ),
      ),
      detail: 'expected: PONG',
    });
    // The server answers and hangs up.
    expect(await tcpExpect({ ...t, info: 'QUIT\\r\\n' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `tcp-expect 127.0.0.1:${port}: closed the connection after 5 bytes without the expected text`,
      detail: 'expected: PONG',
    });
  });

  it('needs a port', async () => {
    expect(await tcpExpect(target(0, { expect: 'x' }), OPTIONS)).toEqual({
      up: false,
      kind: 'other',
      message: 'tcp-expect 127.0.0.1: no port set (it has no default)',
    });
  });

  it('reports a refused connection and a server that never answers', async () => {
    const closed = await closedPort();
    expect(await tcpExpect(target(closed, { expect: 'x' }), OPTIONS)).toMatchObject({
      up: false,
      kind: 'connection',
      message: `tcp-expect 127.0.0.1:${closed}: ECONNREFUSED`,
    });
    const silent = await silentTcpServer();
    closers.push(() => silent.close());
    expect(await tcpExpect(target(silent.port, { expect: 'x' }), { timeoutMs: 300 })).toEqual({
      up: false,
      kind: 'timeout',
      message: `tcp-expect 127.0.0.1:${silent.port}: timed out`,
    });
  });

  it('reads an endless answer no further than its limit, while a healthy check passes', async () => {
    const flood = await startFloodServer({ flood: 'x'.repeat(1024) });
    closers.push(() => flood.close());
    const healthy = target(port, { info: 'PING\\r\\n', expect: 'NOAUTH' });
    const [hostile, ok] = await Promise.all([
      tcpExpect(target(flood.port, { expect: 'Team 7' }), { timeoutMs: 10_000 }),
      tcpExpect(healthy, OPTIONS),
    ]);
    expect(hostile).toEqual({
      up: false,
      kind: 'content',
      message: `tcp-expect 127.0.0.1:${flood.port}: no expected text in its first ${MAX_CONVERSATION_BYTES} bytes`,
      detail: 'expected: Team 7',
    });
    expect(ok).toMatchObject({ up: true });
    expect(await flood.hungUp).toBeLessThanOrEqual(writtenBound(MAX_CONVERSATION_BYTES + 1));
  });
});
