import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONVERSATION_BYTES } from '../src/index.js';
import { ByteClient } from '../src/byte-client.js';
import { connectPacket } from '../src/mqtt.check.js';
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
import { startMosquitto } from './service-daemons.js';

// The mqtt check against Mosquitto (password file, no anonymous clients), a closed port, a silent
// server and hostile ones beside a healthy check.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const mqtt = check('mqtt');
let server: Daemon;
let port: number;
const alice = { username: 'alice', password: 'alice-pw' };

/** Publishes a retained message as alice. */
async function publishRetained(topic: string, payload: string): Promise<void> {
  const c = await ByteClient.open('127.0.0.1', port, 5000);
  try {
    c.write(connectPacket('seed', alice.username, alice.password));
    expect([...(await c.readExactly(4))]).toEqual([0x20, 2, 0, 0]);
    const t = Buffer.from(topic);
    const body = Buffer.concat([Buffer.from([0, t.length]), t, Buffer.from(payload)]);
    c.write(Buffer.concat([Buffer.from([0x31, body.length]), body, Buffer.from([0xe0, 0])]));
    // The broker closes once it has read DISCONNECT: the message is stored by then.
    await c.readExactly(1).catch(() => undefined);
  } finally {
    c.close();
  }
}

beforeAll(async () => {
  server = await startMosquitto(alice.username, alice.password);
  closers.push(() => server.stop());
  port = server.ports.mqtt!;
  await publishRetained('team7/status', 'Team 7 plant online');
});

describe('mqtt', () => {
  it('connects with a user name and password, and reads a retained message', async () => {
    expect(await mqtt(target(port, alice), OPTIONS)).toMatchObject({
      up: true,
      message: 'mqtt 127.0.0.1: connection accepted',
    });
    expect(
      await mqtt(target(port, { ...alice, info: 'team7/status', expect: 'online' }), OPTIONS),
    ).toMatchObject({
      up: true,
      message: 'mqtt 127.0.0.1: connection accepted, team7/status retained',
    });
  });

  it('reports wrong and missing credentials', async () => {
    for (const t of [target(port, { ...alice, password: 'nope' }), target(port)]) {
      expect(await mqtt(t, OPTIONS)).toEqual({
        up: false,
        kind: 'credentials',
        message: 'mqtt 127.0.0.1: not authorized',
      });
    }
  });

  it('reports a subscription the broker refuses', async () => {
    // Mosquitto 2.0 grants any subscription of an MQTT 3.1.1 client and then sends nothing; other
    // brokers (EMQX, HiveMQ) answer SUBACK 0x80, as this stand-in does.
    const refusing = await answerOnceServer(Buffer.from([0x20, 2, 0, 0, 0x90, 3, 0, 1, 0x80]));
    closers.push(() => refusing.close());
    expect(await mqtt(target(refusing.port, { ...alice, info: 'secret/plans' }), OPTIONS)).toEqual({
      up: false,
      kind: 'credentials',
      message: 'mqtt 127.0.0.1: subscription to secret/plans refused',
    });
  });

  it('reports a retained message without the expected text, and a topic without one', async () => {
    const t = target(port, { ...alice, info: 'team7/status', expect: 'offline' });
    expect(await mqtt(t, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'mqtt 127.0.0.1: team7/status does not hold the expected text',
      detail: 'expected: offline',
    });
    // Only the time limit ends the wait: long enough that a busy machine still connects.
    expect(await mqtt({ ...t, info: 'team7/empty' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'mqtt 127.0.0.1: no retained message on team7/empty',
    });
  });

  it('reports a refused connection and a server that never answers', async () => {
    expect(await mqtt(target(await closedPort()), OPTIONS)).toMatchObject({
      up: false,
      kind: 'connection',
      message: 'mqtt 127.0.0.1: ECONNREFUSED',
    });
    const silent = await silentTcpServer();
    closers.push(() => silent.close());
    expect(await mqtt(target(silent.port), { timeoutMs: 300 })).toEqual({
      up: false,
      kind: 'timeout',
      message: 'mqtt 127.0.0.1: timed out',
    });
  });

  const hostile: { name: string; server: FloodOptions; message: string; limitBytes: number }[] = [
    {
      name: 'a CONNACK announcing 268 MB',
      server: {
        waitForClient: true,
        preamble: Buffer.from([0x20, 0xff, 0xff, 0xff, 0x7f]),
        flood: Buffer.alloc(1024),
      },
      message: `mqtt 127.0.0.1: a packet of 268435455 bytes (more than ${MAX_CONVERSATION_BYTES})`,
      limitBytes: 0,
    },
    {
      name: 'a remaining length that never ends',
      server: { waitForClient: true, preamble: Buffer.from([0x20]), flood: Buffer.from([0xff]) },
      message: 'mqtt 127.0.0.1: remaining length longer than 4 bytes',
      limitBytes: 0,
    },
    {
      name: 'endless PUBLISH packets instead of CONNACK',
      server: { waitForClient: true, flood: Buffer.from([0x30, 0x03, 0x00, 0x01, 0x78]) },
      message: 'mqtt 127.0.0.1: answered packet type 3, not CONNACK',
      limitBytes: 0,
    },
    {
      name: 'a CONNACK, then endless PUBLISH packets of another topic',
      server: {
        waitForClient: true,
        preamble: Buffer.from([0x20, 0x02, 0x00, 0x00, 0x90, 0x03, 0x00, 0x01, 0x00]),
        flood: Buffer.from([0x32, 0x05, 0x00, 0x01, 0x79, 0x00, 0x01]),
      },
      message: `mqtt 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
      limitBytes: MAX_CONVERSATION_BYTES + 1,
    },
  ];

  it('fails hostile servers as content and hangs up, while a healthy check beside them passes', async () => {
    const floods = await Promise.all(hostile.map((h) => startFloodServer(h.server)));
    for (const f of floods) closers.push(() => f.close());
    const [results, ok] = await Promise.all([
      Promise.all(floods.map((f) => mqtt(target(f.port, { info: 'x' }), { timeoutMs: 10_000 }))),
      mqtt(target(port, alice), OPTIONS),
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
