import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient, type RunningGrpcServer } from '@checkwire/grpc';
import { Extension, serveExtension, type RequestContext } from '@checkwire/lc-sdk';
import { startApp, stopApp, type RunningApp } from '@checkwire/proc';
import { ContinuationServiceService } from '@checkwire/proto';
import { FREE_METRICS_PORTS, createTestDatabase, type TestDatabase } from '@checkwire/testing';
import { LcGatewayApp } from '../src/index.js';
import { postExtension } from './extension-harness.js';
import { mintGatewayToken } from './harness.js';

// Continuations end to end: the real gateway hands them to the real scheduler (apps/scheduler,
// its own process, over a fresh database), which calls the SDK extension once when each is due,
// whatever happens to the gateway meanwhile; a message LimaCharlie sends again stores nothing twice.

const root = join(import.meta.dirname, '..', '..', '..');
const SECRET = 'e2e-secret';
const ORG = { oid: 'org-1', jwt: 'jwt-1', ident: '' };

class Poller extends Extension {
  readonly polls: RequestContext[] = [];
  private wake: (() => void) | undefined;
  readonly polled = new Promise<void>((resolve) => (this.wake = resolve));
  constructor() {
    super('poller');
    this.action('start', {}, (ctx) => ({
      continuations: [{ inDelaySec: 1, action: 'poll', state: { from: ctx.idempotencyKey } }],
    }));
    this.action('poll', {}, (ctx) => {
      this.polls.push(ctx);
      this.wake!();
    });
  }
}

const poller = new Poller();
let database: TestDatabase;
let handler: RunningGrpcServer;
let scheduler: RunningApp;
let gateway: LcGatewayApp;
let token: string;

const startGateway = () =>
  LcGatewayApp.start({
    routes: [],
    extensions: [{ name: 'poller', secret: SECRET, handler: handler.address }],
    schedulerAddress: scheduler.address,
    token,
  });

beforeAll(async () => {
  database = await createTestDatabase();
  token = await mintGatewayToken(database.url);
  handler = await serveExtension(poller);
  scheduler = await startApp(
    {
      name: 'scheduler',
      entry: 'apps/scheduler/src/main.ts',
      ready: /gRPC listening on ([^\s"]+)/,
      echo: false,
      cwd: root,
    },
    {
      ...process.env,
      ...FREE_METRICS_PORTS,
      DATABASE_URL: database.url,
      SCHEDULER_PORT: '0',
      SCHEDULER_ROUND_INTERVAL_MS: '0',
      SCHEDULER_LC_EXTENSIONS: JSON.stringify([{ name: 'poller', handler: handler.address }]),
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    },
  );
  gateway = await startGateway();
});
afterAll(async () => {
  await gateway.stop();
  await stopApp(scheduler);
  await handler.shutdown(100);
  await database.drop();
});

describe('continuations through the real scheduler', () => {
  it('are stored once for a message sent twice, and delivered once after the delay across a gateway restart', async () => {
    const body = {
      version: 20221218,
      idempotency_key: 'lc-message-1',
      request: { org: ORG, action: 'start', data: {}, config: { c: 1 } },
    };
    const url = () => `${gateway.url}/ext/poller`;
    expect(await postExtension(url(), body, { secret: SECRET })).toMatchObject({ status: 200 });
    expect(await postExtension(url(), body, { secret: SECRET })).toMatchObject({ status: 200 });
    const admin = createPromiseClient(ContinuationServiceService, scheduler.address, { token });
    try {
      const pending = await admin.listContinuations({ extensionName: 'poller' });
      expect(pending.continuations.map((c) => [c.action, c.oid])).toEqual([['poll', 'org-1']]);
      const id = pending.continuations[0]!.id;
      // The gateway holds nothing: stopping it before the continuation is due changes nothing.
      await gateway.stop();
      gateway = await startGateway();
      await poller.polled;
      // Delivered: nothing is left to deliver again (a readiness wait, not a sleep).
      let left = 1;
      while (left > 0) {
        left = (await admin.listContinuations({ extensionName: 'poller' })).continuations.length;
        if (left > 0) await new Promise((r) => setTimeout(r, 50));
      }
      expect(poller.polls).toHaveLength(1);
      expect(poller.polls[0]).toMatchObject({
        idempotencyKey: id,
        action: 'poll',
        data: { from: 'lc-message-1' },
        config: { c: 1 },
        org: { oid: 'org-1', jwt: 'jwt-1' },
        continuation: { id, attempt: 1 },
      });
    } finally {
      admin.close();
    }
  });
});
