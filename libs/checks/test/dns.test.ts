import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_CHECK_SETTINGS, type DnsRecordType } from '@checkwire/check-settings';
import { MAX_CONVERSATION_BYTES, runCheck, type CheckTarget } from '../src/index.js';
import type { Daemon } from './daemons.js';
import { startUnbound } from './dns-daemons.js';
import {
  aRecord,
  framed,
  header,
  manyAnswers,
  question,
  tcpStandIn,
  truncatingUdp,
  udpFlood,
} from './dns-stand-ins.js';
import { startFloodServer, writtenBound } from './flood-server.js';
import { check, closedUdpPort, OPTIONS, target, udpServer } from './helpers.js';

// The dns check against a real DNS server (unbound, answering from local-data) for every record
// type, and against stand-ins for what no real server does: malformed answers, answers to other
// queries, floods over UDP and TCP. No duration is asserted.

const MANY = 300; // A records of many.team7.test: far over 512 bytes, so asked again over TCP
const RECORDS = [
  'team7.test. SOA ns1.team7.test. hostmaster.team7.test. 2026120101 3600 900 604800 300',
  'team7.test. NS ns1.team7.test.',
  'team7.test. MX 10 mail.team7.test.',
  'team7.test. MX 20 Backup.team7.test.',
  'team7.test. TXT "v=spf1 " "ip4:10.7.0.0/24 -all"',
  'www.team7.test. A 10.7.0.80',
  'www.team7.test. AAAA fd00:7::80',
  'pool.team7.test. A 10.7.0.81',
  'pool.team7.test. A 10.7.0.82',
  'web.team7.test. CNAME www.team7.test.',
  ...Array.from({ length: MANY }, (_, i) => `many.team7.test. A 10.7.${i >> 8}.${i & 255}`),
];

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const settings = (recordType: DnsRecordType) => ({ ...NO_CHECK_SETTINGS, dns: { recordType } });

let unbound: Daemon;
beforeAll(async () => {
  unbound = await startUnbound(RECORDS);
  closers.push(() => unbound.stop());
}, 60_000);

describe('dns (unbound)', () => {
  let t: CheckTarget;
  beforeAll(() => {
    t = target(unbound.ports.dns!, { info: 'www.team7.test' });
  });
  const ask = (type: DnsRecordType, over: Partial<CheckTarget> = {}) =>
    check('dns')({ ...t, settings: settings(type), ...over }, OPTIONS);

  it('resolves the name and compares the answer', async () => {
    expect(await check('dns')(t, OPTIONS)).toEqual({
      up: true,
      message: 'www.team7.test → 10.7.0.80',
      content: '10.7.0.80',
    });
    expect(await check('dns')({ ...t, expect: '10.7.0.80' }, OPTIONS)).toMatchObject({ up: true });
    expect(await check('dns')({ ...t, expect: '10.7.0.81' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'www.team7.test resolved to 10.7.0.80, not 10.7.0.81',
    });
    expect(await check('dns')({ ...t, info: 'nope.team7.test' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'nope.team7.test: no answer (ENOTFOUND)',
    });
  });

  it('asks localhost when no name is set, as before', async () => {
    expect(await check('dns')({ ...t, info: '' }, OPTIONS)).toEqual({
      up: true,
      message: 'localhost → 127.0.0.1',
      content: '127.0.0.1',
    });
  });

  it.each<[DnsRecordType, string, string, string]>([
    ['A', 'pool.team7.test', '10.7.0.81\n10.7.0.82', '10.7.0.82'],
    ['AAAA', 'www.team7.test', 'fd00:7::80', 'FD00:0007:0:0:0::0080'],
    ['MX', 'team7.test', '10 mail.team7.test\n20 Backup.team7.test', '20  backup.team7.test.'],
    ['TXT', 'team7.test', 'v=spf1 ip4:10.7.0.0/24 -all', 'v=spf1 ip4:10.7.0.0/24 -all'],
    ['CNAME', 'web.team7.test', 'www.team7.test', 'WWW.Team7.Test.'],
    ['NS', 'team7.test', 'ns1.team7.test', 'ns1.team7.test.'],
    [
      'SOA',
      'team7.test',
      'ns1.team7.test hostmaster.team7.test 2026120101 3600 900 604800 300',
      'NS1.team7.test. hostmaster.team7.test. 2026120101 3600 900 604800 300',
    ],
  ])(
    '%s: renders each answer as a line, and finds the expected one',
    async (type, info, lines, expected) => {
      const label = type === 'A' ? info : `${info} ${type}`;
      expect(await ask(type, { info })).toEqual({
        up: true,
        message: `${label} → ${lines.split('\n').join(', ')}`,
        content: lines,
      });
      expect(await ask(type, { info, expect: expected })).toMatchObject({ up: true });
      expect(await ask(type, { info, expect: 'nope.team7.test' })).toEqual({
        up: false,
        kind: 'content',
        message: `${label} resolved to ${lines.split('\n').join(', ')}, not nope.team7.test`,
      });
    },
  );

  it('compares TXT text exactly (case, no dot dropped) and A addresses as written', async () => {
    expect(
      await ask('TXT', { info: 'team7.test', expect: 'V=SPF1 ip4:10.7.0.0/24 -all' }),
    ).toMatchObject({ up: false, kind: 'content' });
    expect(await ask('A', { expect: '010.7.0.80' })).toMatchObject({ up: false, kind: 'content' });
  });

  it('fails a name without records of the type, an unknown name and a refused one as content', async () => {
    expect(await ask('MX')).toEqual({
      up: false,
      kind: 'content',
      message: 'www.team7.test MX: no answer (ENODATA)',
    });
    expect(await ask('TXT', { info: 'nope.team7.test' })).toEqual({
      up: false,
      kind: 'content',
      message: 'nope.team7.test TXT: no answer (ENOTFOUND)',
    });
    // Outside its zones unbound refuses (it never asks the network here).
    expect(await ask('A', { info: 'example.com' })).toEqual({
      up: false,
      kind: 'content',
      message: 'example.com: the server answered REFUSED',
    });
  });

  it('asks again over TCP for an answer too big for a datagram, and names the first ten', async () => {
    const r = await ask('A', { info: 'many.team7.test', expect: `10.7.1.${MANY - 257}` });
    const all = Array.from({ length: MANY }, (_, i) => `10.7.${i >> 8}.${i & 255}`);
    expect(r).toEqual({
      up: true,
      message: `many.team7.test → ${all.slice(0, 10).join(', ')}, … (${MANY} in all)`,
      content: all.join('\n'),
    });
  });

  it('hands its answers to the content rules (judged by runCheck)', async () => {
    const rules = {
      ...settings('TXT'),
      expect: [{ contains: 'v=spf1' }],
      reject: [{ contains: '+all' }],
    };
    const txt = { ...t, info: 'team7.test', settings: rules };
    expect(await runCheck('dns', 'DNS', txt, OPTIONS)).toEqual({
      up: true,
      message: 'team7.test TXT → v=spf1 ip4:10.7.0.0/24 -all',
    });
    expect(
      await runCheck(
        'dns',
        'DNS',
        { ...txt, settings: { ...rules, expect: [{ contains: '~all' }] } },
        OPTIONS,
      ),
    ).toEqual({
      up: false,
      kind: 'content',
      message:
        'team7.test TXT → v=spf1 ip4:10.7.0.0/24 -all, but its content does not meet the expected rule: contains "~all"',
    });
  });

  it('refuses to ask for what is no domain name (other)', async () => {
    expect(await ask('A', { info: 'www..team7.test' })).toEqual({
      up: false,
      kind: 'other',
      message: 'dns: "www..team7.test" is no domain name',
    });
    expect(await ask('A', { info: `${'x'.repeat(64)}.test` })).toMatchObject({ kind: 'other' });
  });
});

describe('dns: refused and silent servers', () => {
  it('is down (connection) on a closed port, (timeout) on a server that never answers', async () => {
    expect(await check('dns')(target(await closedUdpPort()), OPTIONS)).toEqual({
      up: false,
      kind: 'connection',
      message: 'dns 127.0.0.1: refused',
    });
    const silent = await udpServer(() => undefined);
    closers.push(() => silent.close());
    expect(await check('dns')(target(silent.port), { timeoutMs: 300 })).toEqual({
      up: false,
      kind: 'timeout',
      message: 'dns 127.0.0.1: timed out',
    });
  });
});

describe('dns: hostile answers, beside a healthy check', () => {
  // Each stand-in answers every query the same way; all run at once with a check of a healthy
  // server, which must still pass.
  const other = (query: Buffer) => Buffer.from([query[0]! ^ 0xff, ...query.subarray(1)]);
  const cases: {
    name: string;
    reply: (query: Buffer) => Buffer | Buffer[] | undefined;
    message: string;
    kind?: 'content' | 'timeout';
  }[] = [
    {
      name: 'a compression loop',
      reply: (q) =>
        Buffer.concat([
          header(q, 1),
          question(q),
          // The owner points at itself.
          Buffer.from([0xc0, 12 + question(q).length, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4]),
        ]),
      message: 'malformed answer: a compression pointer that does not point back',
    },
    {
      name: 'a chain of 200 compression pointers, each pointing back',
      reply: (q) => {
        // A TXT record (skipped) holding the chain, then an A record named by its last pointer.
        const chainAt = 12 + question(q).length + 12;
        const chain = Buffer.alloc(400);
        for (let i = 0; i < 200; i++)
          chain.writeUInt16BE(0xc000 | (i === 0 ? 12 : chainAt + (i - 1) * 2), i * 2);
        const txt = Buffer.from([0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 400 >> 8, 400 & 255]);
        const owner = Buffer.alloc(2);
        owner.writeUInt16BE(0xc000 | (chainAt + 398));
        const a = Buffer.from([0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4]);
        return Buffer.concat([header(q, 2), question(q), txt, chain, owner, a]);
      },
      message: 'malformed answer: a name of more than 127 compression pointers',
    },
    {
      name: 'more records announced than sent',
      reply: (q) => Buffer.concat([header(q, 65535), question(q), aRecord(1)]),
      message: 'malformed answer: a name past the end',
    },
    {
      name: 'an A record of 5 bytes',
      reply: (q) => Buffer.concat([header(q, 1), question(q), aRecord(1, 5)]),
      message: 'malformed answer: an A record that is not 4 bytes',
    },
    {
      name: 'a header and nothing else',
      reply: (q) => header(q, 1),
      message: 'malformed answer: a name past the end',
    },
    {
      name: 'an answer to another question',
      reply: (q) => {
        const wrong = Buffer.from(question(q));
        wrong[wrong.length - 3] = 28; // AAAA
        return Buffer.concat([header(q, 0), wrong]);
      },
      message: 'malformed answer: an answer to another question',
    },
    {
      name: 'only answers to other queries (ignored, RFC 5452)',
      reply: (q) => other(manyAnswers(q, 1)),
      message: 'timed out',
      kind: 'timeout',
    },
  ];

  it('fails each as content (or timeout), and the healthy check still passes', async () => {
    const servers = await Promise.all(cases.map((c) => udpServer(c.reply)));
    // Datagrams of 32 KiB that answer no query of ours, 4 MiB of them for each query.
    const flood = await udpFlood((q) => Buffer.concat([other(q), Buffer.alloc(32_768)]), 4 << 20);
    for (const s of [...servers, flood]) closers.push(() => s.close());
    const [healthy, flooded, ...results] = await Promise.all([
      check('dns')(target(unbound.ports.dns!, { info: 'www.team7.test' }), OPTIONS),
      check('dns')(target(flood.port, { info: 'x.team7.test' }), OPTIONS),
      ...servers.map((s) => check('dns')(target(s.port, { info: 'x.team7.test' }), OPTIONS)),
    ]);
    expect(healthy).toMatchObject({ up: true, message: 'www.team7.test → 10.7.0.80' });
    expect(flooded).toEqual({
      up: false,
      kind: 'content',
      message: `dns 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
    });
    cases.forEach((c, i) =>
      expect({ name: c.name, ...results[i] }).toEqual({
        name: c.name,
        up: false,
        kind: c.kind ?? 'content',
        message: `dns 127.0.0.1: ${c.message}`,
      }),
    );
  });

  it('over TCP: reads one message of at most 64 KiB, however much the server sends', async () => {
    // Truncated over UDP, then a message announcing 65535 bytes and zeros without end over TCP
    // (c-ares, Node's resolver, reads such a stream to the time limit, holding the event loop).
    const server = await startFloodServer({
      waitForClient: true,
      preamble: Buffer.from([0xff, 0xff]),
      flood: Buffer.alloc(1024),
    });
    closers.push(() => server.close(), await truncatingUdp(server.port));
    expect(await check('dns')(target(server.port, { info: 'x.team7.test' }), OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'dns 127.0.0.1: malformed answer: over TCP, an answer to another query',
    });
    const written = await server.hungUp;
    console.log(`dns over TCP: the flood wrote ${written} bytes before the check hung up`);
    expect(written).toBeLessThanOrEqual(writtenBound(2 + 65535));
  });

  it('over TCP: takes an answer of thousands of records, and times out on one never finished', async () => {
    const huge = await tcpStandIn((socket, q) => socket.write(framed(manyAnswers(q, 4000))));
    const unfinished = await tcpStandIn((socket) => socket.write(Buffer.from([0xff, 0xff, 0, 0])));
    closers.push(
      () => huge.close(),
      () => unfinished.close(),
    );
    closers.push(await truncatingUdp(huge.port), await truncatingUdp(unfinished.port));
    const r = await check('dns')(target(huge.port, { info: 'x.team7.test' }), OPTIONS);
    expect(r).toMatchObject({
      up: true,
      message: expect.stringMatching(/^x\.team7\.test → 10\.10\.0\.0, .*, … \(4000 in all\)$/),
    });
    expect((r.up && r.content)!.toString().split('\n')).toHaveLength(4000);
    expect(
      await check('dns')(target(unfinished.port, { info: 'x.team7.test' }), { timeoutMs: 500 }),
    ).toEqual({ up: false, kind: 'timeout', message: 'dns 127.0.0.1: timed out' });
  });
});
