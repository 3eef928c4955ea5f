import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONVERSATION_BYTES } from '../src/index.js';
import { BerReader, integer, octets, oid, TAG, tlv } from '../src/ber.js';
import type { Daemon } from './daemons.js';
import { check, closedUdpPort, OPTIONS, target, udpServer } from './helpers.js';
import { startSnmpd } from './service-daemons.js';

// The snmp check against Net-SNMP's snmpd (one read-only community, a known sysDescr), a closed
// UDP port, a silent one, and hostile agents beside a healthy check.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const snmp = check('snmp');
let server: Daemon;
let port: number;
beforeAll(async () => {
  server = await startSnmpd('team7ro', 'Team 7 core switch');
  closers.push(() => server.stop());
  port = server.ports.snmp!;
});

/** The request id of a v2c GET (undefined for anything else, e.g. the v3 discovery). */
function requestIdOf(request: Buffer): number | undefined {
  const message = new BerReader(new BerReader(request).next(TAG.SEQUENCE).content);
  if (message.integer() !== 1) return undefined;
  message.next(TAG.OCTET_STRING);
  return new BerReader(message.next(0xa0).content).integer();
}

/** A v2c Response with one varbind (sysDescr.0 = value). */
function response(requestId: number, value: Buffer, version = 1, status = 0): Buffer {
  const binding = tlv(TAG.SEQUENCE, oid('1.3.6.1.2.1.1.1.0'), value);
  const pdu = tlv(
    0xa2,
    integer(requestId),
    integer(status),
    integer(0),
    tlv(TAG.SEQUENCE, binding),
  );
  return tlv(TAG.SEQUENCE, integer(version), octets('x'), pdu);
}

describe('snmp', () => {
  it('reads sysDescr.0, or another OID, with the community', async () => {
    expect(
      await snmp(target(port, { password: 'team7ro', expect: 'core switch' }), OPTIONS),
    ).toMatchObject({
      up: true,
      message: 'snmp 127.0.0.1: 1.3.6.1.2.1.1.1.0 = Team 7 core switch',
    });
    expect(
      await snmp(target(port, { password: 'team7ro', info: '1.3.6.1.2.1.1.6.0' }), OPTIONS),
    ).toMatchObject({
      up: true,
      message: 'snmp 127.0.0.1: 1.3.6.1.2.1.1.6.0 = Team 7 rack',
    });
  });

  it('reports a wrong community (no answer, while the agent answers SNMPv3 discovery)', async () => {
    // Only the time limit ends the wait: long enough for a busy machine's agent to answer v3.
    expect(await snmp(target(port, { password: 'nope' }), { timeoutMs: 3000 })).toEqual({
      up: false,
      kind: 'credentials',
      message: 'snmp 127.0.0.1: the agent answers SNMPv3 but not this community',
    });
    const refusing = await udpServer((q) => {
      const id = requestIdOf(q);
      return id === undefined ? undefined : response(id, tlv(TAG.NULL), 1, 16);
    });
    closers.push(() => refusing.close());
    expect(await snmp(target(refusing.port), OPTIONS)).toEqual({
      up: false,
      kind: 'credentials',
      message: 'snmp 127.0.0.1: GET 1.3.6.1.2.1.1.1.0 failed (error-status 16)',
    });
  });

  it('reports a value without the expected text and a missing object', async () => {
    const t = target(port, { password: 'team7ro', expect: 'Team 9' });
    expect(await snmp(t, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'snmp 127.0.0.1: 1.3.6.1.2.1.1.1.0 does not contain the expected text',
      detail: 'expected: Team 9',
    });
    expect(await snmp({ ...t, expect: '', info: '1.3.6.1.2.1.1.99.0' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'snmp 127.0.0.1: 1.3.6.1.2.1.1.99.0: noSuchObject',
    });
  });

  it('reports a refused port and an agent that never answers', async () => {
    expect(await snmp(target(await closedUdpPort()), OPTIONS)).toMatchObject({
      up: false,
      kind: 'connection',
      message: 'snmp 127.0.0.1: ECONNREFUSED',
    });
    const silent = await udpServer(() => undefined);
    closers.push(() => silent.close());
    expect(await snmp(target(silent.port), { timeoutMs: 300 })).toEqual({
      up: false,
      kind: 'timeout',
      message: 'snmp 127.0.0.1: timed out',
    });
  });

  const big = octets(Buffer.alloc(64_000, 'x'));
  const hostile = [
    {
      name: 'a length past the end of the datagram',
      answer: () => Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01]),
      message: 'snmp 127.0.0.1: BER: unsupported length',
    },
    {
      name: 'a truncated message',
      answer: () => Buffer.from([0x30, 0x10, 0x02, 0x01, 0x01]),
      message: 'snmp 127.0.0.1: BER: length past the end',
    },
    {
      name: 'an SNMPv1 answer',
      answer: (q: Buffer) => {
        const id = requestIdOf(q);
        return id === undefined ? undefined : response(id, octets('v1'), 0);
      },
      message: 'snmp 127.0.0.1: SNMP version 1',
    },
    {
      name: 'answers of 64 KB to other requests, without end',
      answer: () => Array<Buffer>(20).fill(response(7, big)),
      message: `snmp 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
    },
  ];

  it('fails hostile agents as content, while a healthy check beside them passes', async () => {
    const servers = await Promise.all(hostile.map((h) => udpServer(h.answer)));
    for (const s of servers) closers.push(() => s.close());
    const [results, ok] = await Promise.all([
      Promise.all(servers.map((s) => snmp(target(s.port), { timeoutMs: 10_000 }))),
      snmp(target(port, { password: 'team7ro' }), OPTIONS),
    ]);
    expect(results).toEqual(
      hostile.map((h) => ({ up: false, kind: 'content', message: h.message })),
    );
    expect(ok).toMatchObject({ up: true });
  });
});
