import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES } from '../src/index.js';
import type { Daemon } from './daemons.js';
import { startFloodServer, writtenBound, type FloodOptions } from './flood-server.js';
import { check, closedPort, OPTIONS, silentTcpServer, target } from './helpers.js';
import { startXvnc } from './service-daemons.js';

// The vnc check against TigerVNC's Xvnc (one with VNC authentication, one without), a closed
// port, a silent server and hostile ones beside a healthy check.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const vnc = check('vnc');
let locked: Daemon;
let open: Daemon;
beforeAll(async () => {
  [locked, open] = await Promise.all([
    startXvnc('vnc-pw1', 'Team 7 desktop'),
    startXvnc(undefined, 'Open desk'),
  ]);
  closers.push(
    () => locked.stop(),
    () => open.stop(),
  );
});

describe('vnc', () => {
  it('authenticates with the password, or connects to a server without one', async () => {
    expect(
      await vnc(target(locked.ports.vnc!, { password: 'vnc-pw1', expect: 'Team 7' }), OPTIONS),
    ).toMatchObject({
      up: true,
      message: 'vnc 127.0.0.1: desktop Team 7 desktop (640x480)',
    });
    expect(await vnc(target(open.ports.vnc!), OPTIONS)).toMatchObject({
      up: true,
      message: 'vnc 127.0.0.1: desktop Open desk (640x480)',
    });
  });

  it('reports a wrong or missing password', async () => {
    const wrong = await vnc(target(locked.ports.vnc!, { password: 'nope' }), OPTIONS);
    expect(wrong).toEqual({
      up: false,
      kind: 'credentials',
      message: 'vnc 127.0.0.1: authentication failed: Authentication failure',
    });
    expect(await vnc(target(locked.ports.vnc!), OPTIONS)).toEqual({
      up: false,
      kind: 'credentials',
      message: 'vnc 127.0.0.1: a password is required (security types 2)',
    });
  });

  it('reports a desktop name without the expected text, and a server without VNC authentication', async () => {
    expect(
      await vnc(target(locked.ports.vnc!, { password: 'vnc-pw1', expect: 'Team 9' }), OPTIONS),
    ).toEqual({
      up: false,
      kind: 'content',
      message: 'vnc 127.0.0.1: desktop name does not contain the expected text',
      detail: 'expected: Team 9',
    });
    expect(await vnc(target(open.ports.vnc!, { password: 'vnc-pw1' }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'vnc 127.0.0.1: no VNC authentication (security types 1)',
    });
  });

  it('reports a refused connection and a server that never answers', async () => {
    expect(await vnc(target(await closedPort()), OPTIONS)).toMatchObject({
      up: false,
      kind: 'connection',
      message: 'vnc 127.0.0.1: ECONNREFUSED',
    });
    const silent = await silentTcpServer();
    closers.push(() => silent.close());
    expect(await vnc(target(silent.port), { timeoutMs: 300 })).toEqual({
      up: false,
      kind: 'timeout',
      message: 'vnc 127.0.0.1: timed out',
    });
  });

  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const RFB38 = 'RFB 003.008\n';
  const hostile: { name: string; server: FloodOptions; message: string }[] = [
    {
      name: 'no RFB banner, bytes without end',
      server: { flood: 'x' },
      message: 'vnc 127.0.0.1: not an RFB server: xxxxxxxxxxxx',
    },
    {
      name: 'a refusal whose reason announces 4 GiB',
      server: {
        hello: RFB38,
        waitForClient: true,
        preamble: Buffer.concat([Buffer.from([0]), u32(0xffffffff)]),
        flood: 'r',
      },
      message: `vnc 127.0.0.1: a reason string of 4294967295 bytes (more than ${MAX_LINE_BYTES})`,
    },
    {
      name: 'a desktop name that announces 256 MiB',
      server: {
        hello: RFB38,
        waitForClient: true,
        // Security types [None], SecurityResult OK, ServerInit with a name length of 2^28.
        preamble: Buffer.concat([Buffer.from([1, 1]), u32(0), Buffer.alloc(20), u32(0x10000000)]),
        flood: 'n',
      },
      message: `vnc 127.0.0.1: a desktop name of 268435456 bytes (more than ${MAX_LINE_BYTES})`,
    },
    {
      name: '255 unknown security types, then bytes without end',
      server: {
        hello: RFB38,
        waitForClient: true,
        preamble: Buffer.from([255]),
        flood: Buffer.from([99]),
      },
      message: `vnc 127.0.0.1: no None authentication (security types ${Array<number>(16).fill(99).join(', ')}, …)`,
    },
  ];

  it('fails hostile servers as content and hangs up, while a healthy check beside them passes', async () => {
    const floods = await Promise.all(hostile.map((h) => startFloodServer(h.server)));
    for (const f of floods) closers.push(() => f.close());
    const [results, ok] = await Promise.all([
      Promise.all(floods.map((f) => vnc(target(f.port), { timeoutMs: 10_000 }))),
      vnc(target(locked.ports.vnc!, { password: 'vnc-pw1' }), OPTIONS),
    ]);
    expect(results).toEqual(
      hostile.map((h) => ({ up: false, kind: 'content', message: h.message })),
    );
    expect(ok).toMatchObject({ up: true });
    for (const f of floods) expect(await f.hungUp).toBeLessThanOrEqual(writtenBound(1024));
  });
});
