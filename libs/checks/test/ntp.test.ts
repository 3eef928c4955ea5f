import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from './daemons.js';
import { check, closedUdpPort, OPTIONS, target, udpServer } from './helpers.js';
import { startChrony } from './service-daemons.js';

// The ntp check against chronyd (serving its own clock at stratum 8, and without a source:
// unsynchronised), a closed UDP port, a silent one, and hostile responders beside a healthy check.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const ntp = check('ntp');
let synced: Daemon;
let unsynced: Daemon;
beforeAll(async () => {
  [synced, unsynced] = await Promise.all([startChrony(8), startChrony(undefined)]);
  closers.push(
    () => synced.stop(),
    () => unsynced.stop(),
  );
});

/** A server reply to `request` with the given first bytes, stratum and reference id. */
function reply(
  request: Buffer,
  over: { first?: number; stratum?: number; refid?: string; length?: number },
) {
  const r = Buffer.alloc(over.length ?? 48);
  r[0] = over.first ?? 0x24;
  r[1] = over.stratum ?? 2;
  if (r.length >= 48) {
    Buffer.from(over.refid ?? '\x7f\x00\x00\x01', 'latin1').copy(r, 12);
    request.copy(r, 24, 40, 48);
  }
  return r;
}

describe('ntp', () => {
  it('is up on a synchronised server', async () => {
    expect(await ntp(target(synced.ports.ntp!), OPTIONS)).toEqual({
      up: true,
      message: 'ntp 127.0.0.1: stratum 8',
    });
  });

  it("reports an unsynchronised server and a kiss-o'-death as content", async () => {
    expect(await ntp(target(unsynced.ports.ntp!), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'ntp 127.0.0.1: not synchronised (stratum 0, leap indicator 3)',
    });
    const kod = await udpServer((q) => reply(q, { first: 0xe4, stratum: 0, refid: 'DENY' }));
    closers.push(() => kod.close());
    expect(await ntp(target(kod.port), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: "ntp 127.0.0.1: kiss-o'-death DENY",
    });
    // ntpsec before its first source: stratum 16.
    const s16 = await udpServer((q) => reply(q, { first: 0xe4, stratum: 16 }));
    closers.push(() => s16.close());
    expect(await ntp(target(s16.port), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'ntp 127.0.0.1: not synchronised (stratum 16, leap indicator 3)',
    });
  });

  it('reports a refused port and a server that never answers', async () => {
    expect(await ntp(target(await closedUdpPort()), OPTIONS)).toMatchObject({
      up: false,
      kind: 'connection',
      message: 'ntp 127.0.0.1: ECONNREFUSED',
    });
    const silent = await udpServer(() => undefined);
    closers.push(() => silent.close());
    expect(await ntp(target(silent.port), { timeoutMs: 300 })).toEqual({
      up: false,
      kind: 'timeout',
      message: 'ntp 127.0.0.1: timed out',
    });
  });

  const hostile = [
    {
      name: 'a short datagram',
      answer: (q: Buffer) => reply(q, { length: 20 }),
      message: 'ntp 127.0.0.1: a reply of 20 bytes (an NTP packet has 48)',
    },
    {
      name: 'a client packet (mode 3)',
      answer: (q: Buffer) => reply(q, { first: 0x23 }),
      message: 'ntp 127.0.0.1: a reply in mode 3, not 4 (server)',
    },
    {
      name: 'a reply to another request',
      answer: () => reply(Buffer.alloc(48, 7), {}),
      message: 'ntp 127.0.0.1: a reply whose origin timestamp is not our request',
    },
    {
      name: '64 KiB datagrams without end, each a valid reply at its start',
      answer: (q: Buffer) => Array<Buffer>(40).fill(reply(q, { length: 65_000 })),
      message: 'ntp 127.0.0.1: stratum 2',
    },
    {
      name: 'datagrams of 64 KiB, none a reply',
      answer: () => Array<Buffer>(40).fill(Buffer.alloc(65_000, 0x24)),
      message: `ntp 127.0.0.1: a reply whose origin timestamp is not our request`,
    },
  ];

  it('fails malformed answers as content (the first datagram decides), while a healthy check passes', async () => {
    const servers = await Promise.all(hostile.map((h) => udpServer(h.answer)));
    for (const s of servers) closers.push(() => s.close());
    const [results, ok] = await Promise.all([
      Promise.all(servers.map((s) => ntp(target(s.port), { timeoutMs: 10_000 }))),
      ntp(target(synced.ports.ntp!), OPTIONS),
    ]);
    expect(results).toEqual(
      hostile.map((h) =>
        h.message.endsWith('stratum 2')
          ? { up: true, message: h.message }
          : { up: false, kind: 'content', message: h.message },
      ),
    );
    expect(ok).toMatchObject({ up: true });
  });
});
