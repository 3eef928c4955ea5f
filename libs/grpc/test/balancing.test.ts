import './use-test-dns.js';
import { status } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestDnsServer } from '@checkwire/testing';
import {
  createPromiseClient,
  serverStream,
  startGrpcServer,
  unary,
  type GrpcServerOptions,
  type PromiseClient,
  type RunningGrpcServer,
} from '../src/index.js';
import { bytesMethod } from './bytes-method.js';

// Clients spread calls over every address a name resolves to, and servers end connections at an
// age so clients resolve again. Real servers on 127.0.0.1, 127.0.0.2 and 127.0.0.3 (loopback
// answers all of 127/8) on one port, found through the test's DNS server. No clock is read:
// every wait is for something to happen, bounded by a number of calls.

const method = (name: string) => bytesMethod('Replica', name);
const definition = {
  /** Answers the client's address as the server sees it (one per connection). */
  peer: method('Peer'),
  /** `open`, then a message per `poke` until cancelled. */
  watch: { ...method('Watch'), responseStream: true as const },
};
type ReplicaClient = PromiseClient<typeof definition>;

const NAME = 'replicas.checkwire.test';

/** A test server on `host`, counting the calls it served. */
interface Replica {
  host: string;
  server: RunningGrpcServer;
  served: number;
  /** The peer of the watch it serves (its client's address on that connection). */
  watchPeer?: string;
  poke(): void;
}

const replicas: Replica[] = [];

async function startReplica(
  host: string,
  port: number,
  options: Partial<GrpcServerOptions> = {},
): Promise<Replica> {
  const pokes: (() => void)[] = [];
  const replica: Replica = {
    host,
    served: 0,
    server: undefined as unknown as RunningGrpcServer,
    poke: () => pokes.shift()?.(),
  };
  replica.server = await startGrpcServer({
    host,
    port,
    ...options,
    services: [
      {
        name: 'checkwire.test.Replica',
        definition,
        implementation: {
          peer: unary((_req: Buffer, context) => {
            replica.served += 1;
            return Promise.resolve(Buffer.from(context.peer));
          }),
          watch: serverStream(async function* (_req: Buffer, context) {
            replica.watchPeer = context.peer;
            yield Buffer.from('open');
            for (let n = 1; !context.signal.aborted; n++) {
              await new Promise<void>((resolve) => {
                pokes.push(resolve);
                context.signal.addEventListener('abort', () => resolve(), { once: true });
              });
              if (!context.signal.aborted) yield Buffer.from(`poke ${n}`);
            }
          }),
        },
      },
    ],
  });
  replicas.push(replica);
  return replica;
}

/**
 * Calls `peer` one call after another until `done()`, and fails when `maxCalls` did not get
 * there. Returns the calls that failed meanwhile (their errors); `onPeer` sees each answer.
 */
async function callUntil(
  client: ReplicaClient,
  done: () => boolean,
  what: string,
  onPeer: (peer: string) => void = () => undefined,
  maxCalls = 20_000,
): Promise<unknown[]> {
  const failures: unknown[] = [];
  for (let n = 0; !done(); n++) {
    if (n === maxCalls) throw new Error(`${maxCalls} calls and still not ${what}`);
    await client.peer(Buffer.from('')).then(
      (peer) => onPeer(peer.toString()),
      (err: unknown) => failures.push(err),
    );
  }
  return failures;
}

let dns: TestDnsServer;
beforeAll(async () => {
  dns = await TestDnsServer.start();
});
afterEach(async () => {
  await Promise.all(replicas.splice(0).map((r) => r.server.shutdown(0)));
});
afterAll(() => dns.close());

const servedBy = (...rs: Replica[]) => rs.map((r) => r.served);

describe('a client of a name with many addresses', () => {
  it('connects to every address and takes turns', async () => {
    const a = await startReplica('127.0.0.1', 0);
    const b = await startReplica('127.0.0.2', a.server.port);
    dns.setAddresses(NAME, [a.host, b.host]);
    const client = createPromiseClient(definition, dns.target(NAME, a.server.port));
    try {
      // Until both are connected, the first to be takes every call.
      const failures = await callUntil(client, () => a.served > 0 && b.served > 0, 'both served');
      expect(failures).toEqual([]);
      expect(dns.aQuestions(NAME)).toBeGreaterThan(0);

      const [a0, b0] = servedBy(a, b);
      for (let i = 0; i < 10; i++) await client.peer(Buffer.from(''));
      expect([a.served - a0!, b.served - b0!]).toEqual([5, 5]);
    } finally {
      client.close();
    }
  });

  it('goes on with the other replica while one is away, and uses it again when back', async () => {
    const a = await startReplica('127.0.0.1', 0);
    const b = await startReplica('127.0.0.2', a.server.port);
    dns.setAddresses(NAME, [a.host, b.host]);
    const client = createPromiseClient(definition, dns.target(NAME, a.server.port), {
      // Reconnect attempts a tenth of a second apart (grpc-js's default starts at 1 s).
      channelOptions: { 'grpc.initial_reconnect_backoff_ms': 100 },
    });
    try {
      expect(await callUntil(client, () => b.served > 0, 'b served')).toEqual([]);

      await b.server.shutdown();
      const aBefore = a.served;
      for (let i = 0; i < 20; i++) await client.peer(Buffer.from(''));
      expect(a.served - aBefore).toBe(20);

      const back = await startReplica('127.0.0.2', a.server.port);
      expect(await callUntil(client, () => back.served > 0, 'served by b again')).toEqual([]);
    } finally {
      client.close();
    }
  });

  it('finds a replica started later once the connections it has reach their age', async () => {
    const age = { maxConnectionAgeMs: 200 };
    const a = await startReplica('127.0.0.1', 0, age);
    const b = await startReplica('127.0.0.2', a.server.port, age);
    dns.setAddresses(NAME, [a.host, b.host]);
    const client = createPromiseClient(definition, dns.target(NAME, a.server.port), {
      // Resolve again as soon as asked (grpc-js waits at least 30 s between two resolutions).
      channelOptions: { 'grpc.dns_min_time_between_resolutions_ms': 10 },
    });
    try {
      const failures = await callUntil(client, () => a.served > 0 && b.served > 0, 'both served');

      const c = await startReplica('127.0.0.3', a.server.port, age);
      dns.setAddresses(NAME, [a.host, b.host, c.host]);
      const asked = dns.aQuestions(NAME);
      failures.push(...(await callUntil(client, () => c.served > 0, 'c served')));

      // The name was resolved again (a connection reached its age), and no call failed for it.
      expect(dns.aQuestions(NAME)).toBeGreaterThan(asked);
      expect(failures).toEqual([]);
    } finally {
      client.close();
    }
  });
});

describe('connections reaching their age', () => {
  it('fail no call, however many are in flight', async () => {
    // grpc-js's server closes at once after its GOAWAY, refusing the calls it had not read yet;
    // the client sends those again (refused-stream.ts) to the replica whose connection is open.
    const age = { maxConnectionAgeMs: 100 };
    const a = await startReplica('127.0.0.1', 0, age);
    const b = await startReplica('127.0.0.2', a.server.port, age);
    dns.setAddresses(NAME, [a.host, b.host]);
    const client = createPromiseClient(definition, dns.target(NAME, a.server.port));
    try {
      const peers = new Set<string>();
      const callers = Array.from({ length: 16 }, () =>
        callUntil(
          client,
          () => peers.size >= 10,
          'on ten connections',
          (p) => peers.add(p),
        ),
      );
      expect((await Promise.all(callers)).flat()).toEqual([]);
    } finally {
      client.close();
    }
  });
});

describe('a watch on a connection that reaches its age', () => {
  const text = (r: IteratorResult<Buffer>) => (r.done === true ? 'done' : r.value.toString());

  it('goes on (no grace by default) while new calls move to new connections', async () => {
    const a = await startReplica('127.0.0.1', 0, { maxConnectionAgeMs: 200 });
    const client = createPromiseClient(definition, a.server.address);
    try {
      const watch = client.watch(Buffer.from(''))[Symbol.asyncIterator]();
      expect(text(await watch.next())).toBe('open');

      // Calls go to the watch's connection until it reaches its age, then to a new one; and that
      // one reaches its age too.
      const peers = new Set<string>();
      const failures = await callUntil(
        client,
        () => [...peers].filter((p) => p !== a.watchPeer).length >= 2,
        'on two newer connections',
        (peer) => peers.add(peer),
      );
      expect(failures).toEqual([]);

      a.poke();
      expect(text(await watch.next())).toBe('poke 1');
      a.poke();
      expect(text(await watch.next())).toBe('poke 2');
      await watch.return?.(undefined);
    } finally {
      client.close();
    }
  });

  it('ends with UNAVAILABLE once the grace a server sets runs out', async () => {
    const a = await startReplica('127.0.0.1', 0, {
      maxConnectionAgeMs: 200,
      maxConnectionAgeGraceMs: 100,
    });
    const client = createPromiseClient(definition, a.server.address);
    try {
      const watch = client.watch(Buffer.from(''))[Symbol.asyncIterator]();
      expect(text(await watch.next())).toBe('open');
      await expect(watch.next()).rejects.toMatchObject({ code: status.UNAVAILABLE });
    } finally {
      client.close();
    }
  });
});

describe('startGrpcServer', () => {
  it('refuses a connection age a timer cannot hold', async () => {
    await expect(startGrpcServer({ services: [], maxConnectionAgeMs: 2 ** 31 })).rejects.toThrow(
      'maxConnectionAgeMs must be a whole number of ms from 1 to 2147483647, or Infinity; ' +
        'got 2147483648',
    );
  });
});
