import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONVERSATION_BYTES } from '../src/index.js';
import type { Daemon } from './daemons.js';
import { check, closedUdpPort, OPTIONS, target, udpServer } from './helpers.js';
import { startTftpd } from './service-daemons.js';

// The tftp check against tftpd-hpa (a text file and a 5,000-byte one: ten blocks), a closed UDP
// port, a silent one, and hostile servers beside a healthy check.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const tftp = check('tftp');
let server: Daemon;
let port: number;
beforeAll(async () => {
  server = await startTftpd({
    'router.cfg': 'hostname team7-router\n',
    'big.bin': Buffer.concat([Buffer.alloc(4990, 'a'), Buffer.from('Team 7 end')]),
  });
  closers.push(() => server.stop());
  port = server.ports.tftp!;
});

const data = (n: number, bytes: Buffer) =>
  Buffer.concat([Buffer.from([0, 3, n >> 8, n & 0xff]), bytes]);

describe('tftp', () => {
  it('reads a file whole, or until the expected text', async () => {
    expect(await tftp(target(port, { info: 'router.cfg' }), OPTIONS)).toMatchObject({
      up: true,
      message: 'tftp 127.0.0.1: read router.cfg (22 bytes)',
    });
    expect(
      await tftp(target(port, { info: 'big.bin', expect: 'Team 7 end' }), OPTIONS),
    ).toMatchObject({
      up: true,
      message: 'tftp 127.0.0.1: read big.bin (5000 bytes)',
    });
    expect(await tftp(target(port, { info: 'big.bin', expect: 'aaaa' }), OPTIONS)).toMatchObject({
      up: true,
      message: 'tftp 127.0.0.1: read big.bin',
    });
  });

  it('reports a missing file and content without the expected text', async () => {
    expect(await tftp(target(port, { info: 'nope.cfg' }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'tftp 127.0.0.1: nope.cfg: error 1: File not found',
    });
    expect(await tftp(target(port, { info: 'router.cfg', expect: 'team9' }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'tftp 127.0.0.1: router.cfg does not contain the expected text',
      detail: 'expected: team9',
    });
  });

  it('reports a refused port and a server that never answers', async () => {
    expect(await tftp(target(await closedUdpPort(), { info: 'x' }), OPTIONS)).toMatchObject({
      up: false,
      kind: 'connection',
      message: 'tftp 127.0.0.1: ECONNREFUSED',
    });
    const silent = await udpServer(() => undefined);
    closers.push(() => silent.close());
    expect(await tftp(target(silent.port, { info: 'x' }), { timeoutMs: 300 })).toEqual({
      up: false,
      kind: 'timeout',
      message: 'tftp 127.0.0.1: timed out',
    });
  });

  const hostile = [
    {
      name: 'an endless file (a full block for every ACK)',
      // The RRQ gets block 1; each ACK n gets block n + 1.
      answer: (q: Buffer) => data(q[1] === 1 ? 1 : q.readUInt16BE(2) + 1, Buffer.alloc(512, 'x')),
      message: `tftp 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
    },
    {
      name: 'a block of 60,000 bytes',
      answer: () => data(1, Buffer.alloc(60_000)),
      message: 'tftp 127.0.0.1: a DATA block of 60000 bytes (more than 512)',
    },
    {
      name: 'datagrams of 64 KiB that are no block of this transfer',
      answer: (q: Buffer) =>
        q[1] === 1 ? Array<Buffer>(20).fill(data(9, Buffer.alloc(65_000))) : undefined,
      message: `tftp 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
    },
    {
      name: 'an unknown opcode',
      answer: () => Buffer.from([0, 9, 0, 1]),
      message: 'tftp 127.0.0.1: opcode 9, not DATA',
    },
  ];

  it('fails hostile servers as content, while a healthy check beside them passes', async () => {
    const servers = await Promise.all(hostile.map((h) => udpServer(h.answer)));
    for (const s of servers) closers.push(() => s.close());
    const [results, ok] = await Promise.all([
      Promise.all(
        servers.map((s) =>
          tftp(target(s.port, { info: 'x', expect: 'never' }), { timeoutMs: 10_000 }),
        ),
      ),
      tftp(target(port, { info: 'big.bin' }), OPTIONS),
    ]);
    expect(results).toEqual(
      hostile.map((h) => ({ up: false, kind: 'content', message: h.message })),
    );
    expect(ok).toMatchObject({ up: true });
  });
});
