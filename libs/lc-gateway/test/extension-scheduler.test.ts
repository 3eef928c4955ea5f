import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient, type RunningGrpcServer } from '@checkwire/grpc';
import { Extension, serveExtension, type RequestContext } from '@checkwire/lc-sdk';
import { extensionRegistryName } from '@checkwire/lc-wire';
import { startApp, stopApp, type RunningApp } from '@checkwire/proc';
import { ContinuationServiceService, LcRegistryServiceService } from '@checkwire/proto';
import { FREE_METRICS_PORTS, createTestDatabase, type TestDatabase } from '@checkwire/testing';
import { LcGatewayApp } from '../src/index.js';
import { postExtension } from './extension-harness.js';
import { eventually, mintGatewayToken } from './harness.js';

// Continuations end to end: the real gateway hands them to the real scheduler (apps/scheduler,
// its own process, over a fresh database), which calls the SDK extension once when each is due,
// whatever happens to the gateway meanwhile; a message LimaCharlie sends again stores nothing twice.
// The orgs that subscribe reach the scheduler's registry under `ext/<name>`, with fresh JWTs.

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
    this.action('noop', {}, () => undefined);
    this.onEvent('subscribe', () => undefined);
    this.onEvent('unsubscribe', () => undefined);
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
      await eventually(
        async () =>
          (await admin.listContinuations({ extensionName: 'poller' })).continuations.length === 0,
        'the delivered continuation is still listed as pending',
      );
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

describe("the extension's orgs in the scheduler's registry", () => {
  it('records a subscribe with its JWT, keeps the JWT fresh from later messages, and forgets the org on unsubscribe', async () => {
    const db = new pg.Pool({ connectionString: database.url, max: 1 });
    const registry = createPromiseClient(LcRegistryServiceService, scheduler.address, { token });
    const installed = async () =>
      (await registry.listOrgs({ serviceName: extensionRegistryName('poller') })).orgs.map(
        (o) => o.oid,
      );
    const stored = async (oid: string) =>
      (
        await db.query<{ jwt: string }>(
          'SELECT jwt FROM lc_org WHERE service_name = $1 AND oid = $2',
          [extensionRegistryName('poller'), oid],
        )
      ).rows.map((r) => r.jwt);
    const url = () => `${gateway.url}/ext/poller`;
    const org = (jwt: string) => ({ oid: 'org-sub', jwt, ident: '' });
    const event = (name: string, key: string, jwt: string) => ({
      version: 20221218,
      idempotency_key: key,
      event: { org: org(jwt), event_name: name, data: {} },
    });
    try {
      expect(extensionRegistryName('poller')).toBe('ext/poller');
      const sub = await postExtension(url(), event('subscribe', 's-1', 'jwt-at-subscribe'), {
        secret: SECRET,
      });
      expect(sub).toMatchObject({ status: 200 });
      // Recorded before the answer (the orgs of the tests before are there too: RecordOrgJwt
      // records an extension's org it did not know).
      expect(await installed()).toContain('org-sub');
      expect(await stored('org-sub')).toEqual(['jwt-at-subscribe']);
      // Any later message about the org carries a new JWT: passed on, off the answer's path.
      const later = {
        version: 20221218,
        idempotency_key: 'r-1',
        request: { org: org('jwt-later'), action: 'noop', data: {} },
      };
      expect(await postExtension(url(), later, { secret: SECRET })).toMatchObject({ status: 200 });
      await eventually(
        async () => (await stored('org-sub'))[0] === 'jwt-later',
        "the later message's JWT never reached the registry",
      );
      const unsub = await postExtension(url(), event('unsubscribe', 'u-1', 'jwt-gone'), {
        secret: SECRET,
      });
      expect(unsub).toMatchObject({ status: 200 });
      expect(await installed()).not.toContain('org-sub');
      // Kept under ext/<name>, apart from any lcservice route's orgs.
      expect(
        (await db.query('SELECT service_name FROM lc_org WHERE oid = $1', ['org-sub'])).rows,
      ).toEqual([{ service_name: 'ext/poller' }]);
    } finally {
      registry.close();
      await db.end();
    }
  });
});
