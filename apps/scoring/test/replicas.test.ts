import './use-test-dns.js';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import { startApp, stopApp, type RunningApp } from '@checkwire/proc';
import { Role, TokenServiceService } from '@checkwire/proto';
import {
  createTestDatabase,
  OtlpReceiver,
  TestDnsServer,
  type ReceivedSpan,
  type TestDatabase,
} from '@checkwire/testing';

// Two scoring replicas behind one name, as a headless Kubernetes Service puts them: apps/scoring
// as two processes on one database, listening on one port of 127.0.0.1 and 127.0.0.2, and the
// test's DNS server answering the name with both addresses. One client of that name (our
// libs/grpc client, as every app makes them) calls; which replica served each call is read from
// the replicas' own traces (each exports a server span per call, its resource naming its
// process), as an operator would in Jaeger. No clock is read: every wait is for spans to arrive.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const NAME = 'scoring.checkwire.test';

let receiver: OtlpReceiver;
let database: TestDatabase;
let dns: TestDnsServer;
const running = new Set<RunningApp>();
beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  database = await createTestDatabase();
  dns = await TestDnsServer.start();
});
afterAll(async () => {
  for (const app of running) await stopApp(app);
  await receiver.stop();
  await dns.close();
  await database.drop();
});

/** apps/scoring as its own process on `host`:`port`, exporting its spans to the receiver. */
async function startReplica(host: string, port: number): Promise<RunningApp> {
  // The replicas resolve nothing through the test's DNS server; they run as deployed.
  const { GRPC_NODE_USE_ALTERNATIVE_RESOLVER: _, ...env } = process.env;
  const app = await startApp(
    {
      name: `scoring ${host}`,
      entry: 'apps/scoring/src/main.ts',
      ready: /listening on ([^\s"]+)/,
      echo: false,
      cwd: root,
    },
    {
      ...env,
      DATABASE_URL: database.url,
      SCORING_HOST: host,
      SCORING_PORT: String(port),
      // Each replica's metrics on a port of its own (0: a free one), as pods each have theirs.
      SCORING_METRICS_PORT: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    },
  );
  running.add(app);
  return app;
}

async function stopReplica(app: RunningApp): Promise<void> {
  await stopApp(app);
  running.delete(app);
}

/** The WhoAmI server spans each replica exported. */
const whoAmIs = (spans: ReceivedSpan[]) =>
  spans.filter((s) => s.kind === 2 && s.name === 'grpc.checkwire.auth.v1.TokenService/WhoAmI');
const servedBy = (app: RunningApp) =>
  whoAmIs(receiver.spans).filter((s) => s.resource['process.pid'] === app.process.pid).length;

let tokens: PromiseClient<typeof TokenServiceService>;
let calls = 0;

/** `n` WhoAmI calls one after another, each answered; resolves once every one's span arrived. */
async function call(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    expect((await tokens.whoAmI({})).role).toBe(Role.ROLE_ADMIN);
    calls += 1;
  }
  await receiver.waitFor((spans) => whoAmIs(spans).length >= calls);
  // Each call was served exactly once, by a replica: no span without a call.
  expect(whoAmIs(receiver.spans)).toHaveLength(calls);
}

/** Calls ten at a time until `replica` served one (the client connects in the background). */
async function callUntilServedBy(replica: RunningApp, maxCalls = 500): Promise<void> {
  const before = calls;
  while (servedBy(replica) === 0) {
    if (calls - before >= maxCalls) throw new Error(`${maxCalls} calls and none reached it`);
    await call(10);
  }
}

let a: RunningApp;
let b: RunningApp;
let port: number;
beforeAll(async () => {
  a = await startReplica('127.0.0.1', 0);
  port = Number(a.address.split(':').at(-1));
  b = await startReplica('127.0.0.2', port);
  dns.setAddresses(NAME, ['127.0.0.1', '127.0.0.2']);
  // The first replica over the empty database printed the bootstrap admin token.
  const token = /CHECKWIRE_TOKEN=(\S+)/.exec(a.output.join('\n'))?.[1];
  tokens = createPromiseClient(TokenServiceService, dns.target(NAME, port), {
    token,
    // Reconnect attempts a tenth of a second apart (grpc-js's default starts at 1 s).
    channelOptions: { 'grpc.initial_reconnect_backoff_ms': 100 },
  });
});
afterAll(() => tokens.close());

describe('two scoring replicas behind one name', () => {
  it('both serve the calls of one client, taking turns', async () => {
    await callUntilServedBy(a);
    await callUntilServedBy(b);
    expect(dns.aQuestions(NAME)).toBeGreaterThan(0);

    const [a0, b0] = [servedBy(a), servedBy(b)];
    await call(10);
    expect([servedBy(a) - a0, servedBy(b) - b0]).toEqual([5, 5]);
  });

  it('one that stops leaves the calls to the other; started again, it serves again', async () => {
    await stopReplica(b);
    const a0 = servedBy(a);
    await call(10);
    expect(servedBy(a) - a0).toBe(10);

    const again = await startReplica('127.0.0.2', port);
    await callUntilServedBy(again);
  });
});
