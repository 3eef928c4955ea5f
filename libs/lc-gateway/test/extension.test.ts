import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  GrpcStatus,
  ServerError,
  startGrpcServer,
  unary,
  type RunningGrpcServer,
} from '@checkwire/grpc';
import { CALLBACK_LIMITS, MAX_JSON_DEPTH, sign } from '@checkwire/lc-wire';
import {
  Extension,
  ExtensionError,
  serveExtension,
  type ErrorReport,
  type ExtensionContext,
  type RequestContext,
} from '@checkwire/lc-sdk';
import {
  LcExtensionServiceService,
  type ExtensionResponse,
  type LcExtensionServiceServer,
  type OnExtensionRequestRequest,
} from '@checkwire/proto';
import { LcGatewayApp } from '../src/index.js';
import { postExtension, RecordingScheduler, type ExtensionPost } from './extension-harness.js';

// LimaCharlie's Extensions protocol through the real gateway to a real SDK extension over gRPC:
// every envelope kind, signatures over the uncompressed body, gzip bodies and gzip bombs, hostile
// values, the parameter schema, retriable (500) against final (400) errors (also from a handler
// written against the bare contract), metrics, and continuations handed to a ContinuationService
// (a recording test double of the scheduler's: see extension-harness.ts).

const SECRET = 'ext-secret';
const ORG = { oid: 'org-1', jwt: 'jwt-of-org-1', ident: 'analyst@example.com' };
const MAX_BODY = 64 * 1024;

class Scanner extends Extension {
  readonly requests: RequestContext[] = [];
  readonly events: { name: string; data: unknown; key: string }[] = [];
  readonly configs: ExtensionContext[] = [];
  readonly reports: ErrorReport[] = [];
  constructor() {
    super('scanner');
    this.setConfigSchema({
      fields: { api_key: { data_type: 'secret', description: 'the API key' } },
      requirements: [['api_key']],
    });
    this.setExtraSchema({ views: [{ name: 'main', layout_type: 'action', default_requests: [] }] });
    this.action(
      'scan',
      {
        shortDescription: 'scan a host',
        label: 'Scan',
        messages: { inProgress: 'scanning…', success: 'scanned' },
        isDefault: true,
        // The named fields win over the same names given here.
        extra: { allow_automation: true, is_user_facing: false },
        parameters: {
          fields: {
            target: { data_type: 'string' },
            count: { data_type: 'integer' },
            mode: { data_type: 'enum', enum_values: ['fast', 'deep'] },
            ports: { data_type: 'integer', is_list: true },
            options: {
              data_type: 'object',
              object: { fields: { verbose: { data_type: 'bool' } }, requirements: [] },
            },
            sid: { data_type: 'sid' },
            tag: { data_type: 'tag' },
          },
          requirements: [['target'], ['sid', 'tag']],
        },
      },
      (ctx) => {
        this.requests.push(ctx);
        return { data: { scanned: ctx.data.target }, metrics: [{ sku: 'scans', value: 1 }] };
      },
    );
    this.action('start', {}, (ctx) => ({
      data: { started: true },
      continuations: [
        { inDelaySec: 30, action: 'poll', state: { round: 1, of: ctx.idempotencyKey } },
        { inDelaySec: 0, action: 'poll' },
      ],
    }));
    this.action('poll', {}, () => ({ data: {} }));
    // What the gateway that passed the message on holds meanwhile (bytes in flight).
    this.action('held', {}, () => ({ data: { held: gateway.counters.extensionBytesInFlight } }));
    this.action('runaway', {}, () => ({ continuations: [{ inDelaySec: 5, action: 'nowhere' }] }));
    this.action('flaky', {}, () => {
      throw new ExtensionError('the backend is busy');
    });
    this.action('refuse', {}, () => {
      throw new ExtensionError('this host cannot be scanned', { retriable: false });
    });
    this.action('crash', {}, () => {
      throw new Error('secret internal detail');
    });
    this.action('fraction', {}, () => ({ metrics: [{ sku: 'scans', value: 1.5 }] }));
    this.onEvent('subscribe', (ctx) => {
      this.events.push({ name: ctx.eventName, data: ctx.data, key: ctx.idempotencyKey });
      return { data: { welcome: ctx.org.oid } };
    });
    this.onEvent('unsubscribe', (ctx) => {
      this.events.push({ name: ctx.eventName, data: ctx.data, key: ctx.idempotencyKey });
    });
  }
  override validateConfig(ctx: ExtensionContext) {
    this.configs.push(ctx);
    if (ctx.config.api_key === 'wrong') {
      throw new ExtensionError('api_key is not valid', { retriable: false });
    }
  }
  override onErrorReport(report: ErrorReport) {
    this.reports.push(report);
  }
}

/** An extension declaring nothing but one action: no validator, no error handler, no events. */
class Bare extends Extension {
  constructor() {
    super('bare');
    this.action('ping', {}, () => ({ continuations: [{ inDelaySec: 1, action: 'ping' }] }));
  }
}

/**
 * What the raw handler answers the action `answer`, by `data.how`: written against the generated
 * LcExtensionService contract, not the SDK, as a Go or Python handler would be.
 */
const RAW_ANSWERS: Record<string, ExtensionResponse> = {
  // `retriable` left unset, as a handler that only sets `error` leaves it.
  unset: { error: 'the backend is busy', continuations: [], metrics: [] },
  final: { error: 'no such host', retriable: false, continuations: [], metrics: [] },
  fraction: { error: '', continuations: [], metrics: [{ sku: 'scans', value: 2.5 }] },
  negative: { error: '', continuations: [], metrics: [{ sku: 'bytes', value: -1 }] },
  whole: {
    error: '',
    data: { ok: true },
    continuations: [],
    metrics: [{ sku: 'scans', value: 3 }],
  },
};

async function serveRaw(): Promise<RunningGrpcServer> {
  const unimplemented = () =>
    unary(() => Promise.reject(new ServerError(GrpcStatus.UNIMPLEMENTED, 'not implemented')));
  const implementation: LcExtensionServiceServer = {
    describeExtension: unary(() =>
      Promise.resolve({
        actions: [
          {
            name: 'answer',
            isUserFacing: true,
            shortDescription: '',
            longDescription: '',
            isImpersonated: false,
          },
        ],
        requiredEvents: [],
      }),
    ),
    onExtensionRequest: unary((req: OnExtensionRequestRequest) =>
      Promise.resolve({ response: RAW_ANSWERS[String(req.request?.data?.how)] }),
    ),
    onExtensionEvent: unimplemented(),
    validateExtensionConfig: unimplemented(),
    onExtensionErrorReport: unimplemented(),
  };
  return startGrpcServer({
    services: [
      {
        name: 'checkwire.lc.v1.LcExtensionService',
        definition: LcExtensionServiceService,
        implementation,
      },
    ],
  });
}

const scanner = new Scanner();
let handlers: RunningGrpcServer[];
let scheduler: RecordingScheduler;
let gateway: LcGatewayApp;
let unscheduled: LcGatewayApp;

beforeAll(async () => {
  handlers = [await serveExtension(scanner), await serveExtension(new Bare()), await serveRaw()];
  scheduler = await RecordingScheduler.start();
  const extensions = [
    { name: 'scanner', secret: SECRET, handler: handlers[0]!.address },
    { name: 'bare', secret: 'bare-secret', handler: handlers[1]!.address },
    { name: 'raw', secret: 'raw-secret', handler: handlers[2]!.address },
    // Nothing listens there.
    { name: 'down', secret: 'down-secret', handler: '127.0.0.1:1' },
  ];
  gateway = await LcGatewayApp.start({
    routes: [],
    extensions,
    schedulerAddress: scheduler.address,
    maxExtensionBodyBytes: MAX_BODY,
    maxExtensionBytesInFlight: 4 * MAX_BODY,
  });
  unscheduled = await LcGatewayApp.start({ routes: [], extensions });
});
afterAll(async () => {
  await gateway.stop();
  await unscheduled.stop();
  await scheduler.stop();
  await Promise.all(handlers.map((h) => h.shutdown(100)));
});

let keys = 0;
const envelope = (kind: string, message: unknown, key = `key-${++keys}`) => ({
  version: 20221218,
  idempotency_key: key,
  [kind]: message,
});
const request = (action: string, data: unknown = {}, extra: Record<string, unknown> = {}) =>
  envelope('request', { org: ORG, action, data, config: { api_key: 'k' }, ...extra });
const post = (body: unknown, o: Partial<ExtensionPost> = {}, name = 'scanner', app = gateway) =>
  postExtension(`${app.url}/ext/${name}`, body, { secret: SECRET, ...o });

describe('envelope kinds', () => {
  it('answers heartbeat itself', async () => {
    expect(await post(envelope('heartbeat', {}))).toEqual({
      status: 200,
      json: { version: 20221218, error: '', data: {} },
    });
  });

  it('answers schema_request from DescribeExtension', async () => {
    const { status, json } = await post(envelope('schema_request', {}));
    expect(status).toBe(200);
    expect(json.data.config_schema).toEqual({
      fields: { api_key: { data_type: 'secret', description: 'the API key' } },
      requirements: [['api_key']],
    });
    expect(json.data.required_events).toEqual(['subscribe', 'unsubscribe']);
    expect(json.data.views).toEqual([
      { name: 'main', layout_type: 'action', default_requests: [] },
    ]);
    expect(Object.keys(json.data.request_schema)).toEqual([
      'scan',
      'start',
      'poll',
      'held',
      'runaway',
      'flaky',
      'refuse',
      'crash',
      'fraction',
    ]);
    expect(json.data.request_schema.scan).toMatchObject({
      label: 'Scan',
      messages: { in_progress: 'scanning…', success: 'scanned' },
      is_default: true,
      allow_automation: true,
      is_user_facing: true,
      short_description: 'scan a host',
      long_description: '',
      is_impersonated: false,
      response: null,
      parameters: { requirements: [['target'], ['sid', 'tag']] },
    });
  });

  it('hands a request to the action with everything LimaCharlie sent', async () => {
    const before = Date.now();
    const body = request(
      'scan',
      {
        target: 'db-1',
        count: 3,
        ports: [22, 443],
        options: { verbose: true },
        sid: 's',
        extra: 1,
      },
      { resource_state: { rules: { last_mod: 7 } }, inv_id: 'inv-9' },
    );
    expect(await post(body)).toEqual({
      status: 200,
      json: {
        version: 20221218,
        error: '',
        data: { scanned: 'db-1' },
        metrics: { idempotent_key: body.idempotency_key, metrics: [{ sku: 'scans', value: 1 }] },
      },
    });
    const ctx = scanner.requests.at(-1)!;
    expect(ctx).toMatchObject({
      extensionName: 'scanner',
      idempotencyKey: body.idempotency_key,
      org: ORG,
      action: 'scan',
      config: { api_key: 'k' },
      resourceState: { rules: { last_mod: 7 } },
      invId: 'inv-9',
      continuation: undefined,
    });
    expect(ctx.data).toEqual({
      target: 'db-1',
      count: 3,
      ports: [22, 443],
      options: { verbose: true },
      sid: 's',
      extra: 1,
    });
    // lc-extension's two minutes, less the gateway's margin for the way back.
    expect(ctx.deadline!.getTime()).toBeGreaterThanOrEqual(before + 120_000 - 1000);
    expect(ctx.deadline!.getTime()).toBeLessThanOrEqual(Date.now() + 120_000 - 1000);
  });

  it('answers a subscribe 500 retriable when the scheduler cannot record the org', async () => {
    // Nothing listens at the scheduler's address.
    const lost = await LcGatewayApp.start({
      routes: [],
      extensions: [{ name: 'scanner', secret: SECRET, handler: handlers[0]!.address }],
      schedulerAddress: '127.0.0.1:1',
    });
    try {
      const sub = envelope('event', { org: ORG, event_name: 'subscribe', data: {} });
      expect(await post(sub, {}, 'scanner', lost)).toEqual({
        status: 500,
        json: {
          version: 20221218,
          error: expect.stringMatching(
            /^the scheduler could not record subscribe \(error id [0-9a-f-]{36}\)$/,
          ),
          retriable: true,
          data: {},
        },
      });
    } finally {
      await lost.stop();
    }
  });

  it('hands events to their handlers; an event without one is refused as lc-extension does', async () => {
    const sub = envelope('event', { org: ORG, event_name: 'subscribe', data: { plan: 'x' } });
    expect(await post(sub)).toEqual({
      status: 200,
      json: { version: 20221218, error: '', data: { welcome: 'org-1' } },
    });
    expect(scanner.events.at(-1)).toEqual({
      name: 'subscribe',
      data: { plan: 'x' },
      key: sub.idempotency_key,
    });
    expect(await post(envelope('event', { org: ORG, event_name: 'unsubscribe' }))).toMatchObject({
      status: 200,
      json: { error: '', data: {} },
    });
    // The scheduler's registry heard of both, under ext/<name>.
    const membership = scheduler.registry.filter((line) => !line.startsWith('jwt '));
    expect(membership.slice(-2)).toEqual([
      'installed ext/scanner org-1 jwt-of-org-1',
      'uninstalled ext/scanner org-1',
    ]);
    expect(await post(envelope('event', { org: ORG, event_name: 'update' }))).toEqual({
      status: 400,
      json: { version: 20221218, error: 'unknown event: update', retriable: false, data: {} },
    });
  });

  it('validates configs: accepted, refused (400), or accepted when the extension has no validator', async () => {
    const ok = envelope('conf_validation', { org: ORG, conf: { api_key: 'good' } });
    expect(await post(ok)).toMatchObject({ status: 200, json: { error: '' } });
    expect(scanner.configs.at(-1)).toMatchObject({ org: ORG, config: { api_key: 'good' } });
    const bad = envelope('conf_validation', { org: ORG, conf: { api_key: 'wrong' } });
    expect(await post(bad)).toEqual({
      status: 400,
      json: { version: 20221218, error: 'api_key is not valid', retriable: false, data: {} },
    });
    expect(await post(bad, { secret: 'bare-secret' }, 'bare')).toMatchObject({
      status: 200,
      json: { error: '' },
    });
  });

  it('hands error reports to onErrorReport (and answers 200 without one)', async () => {
    const report = envelope('error_report', { error: 'webhook failed', oid: 'org-1' });
    expect(await post(report)).toMatchObject({ status: 200, json: { error: '' } });
    expect(scanner.reports.at(-1)).toEqual({
      extensionName: 'scanner',
      idempotencyKey: report.idempotency_key,
      oid: 'org-1',
      error: 'webhook failed',
    });
    expect(await post(report, { secret: 'bare-secret' }, 'bare')).toMatchObject({ status: 200 });
  });
});

describe('errors: retriable (500) or not (400)', () => {
  it("answers an ExtensionError as the handler chose, and hides any other error's text", async () => {
    expect(await post(request('flaky'))).toEqual({
      status: 500,
      json: { version: 20221218, error: 'the backend is busy', retriable: true, data: {} },
    });
    expect(await post(request('refuse'))).toEqual({
      status: 400,
      json: { version: 20221218, error: 'this host cannot be scanned', retriable: false, data: {} },
    });
    const crash = await post(request('crash'));
    expect(crash.status).toBe(500);
    expect(crash.json.retriable).toBe(true);
    expect(crash.json.error).toMatch(/^extension scanner failed \(error id [0-9a-f-]{36}\)$/);
    expect(JSON.stringify(crash.json)).not.toContain('secret internal detail');
  });

  it("answers a bare-contract handler's error without `retriable` as retriable (500), lc-extension's default; false as final (400)", async () => {
    const raw = (how: string) => post(request('answer', { how }), { secret: 'raw-secret' }, 'raw');
    expect(await raw('unset')).toEqual({
      status: 500,
      json: { version: 20221218, error: 'the backend is busy', retriable: true, data: {} },
    });
    expect(await raw('final')).toEqual({
      status: 400,
      json: { version: 20221218, error: 'no such host', retriable: false, data: {} },
    });
  });

  it('answers 500 retriable when the handler cannot be reached; heartbeat still 200', async () => {
    const o = { secret: 'down-secret' };
    expect(await post(request('scan'), o, 'down')).toEqual({
      status: 500,
      json: {
        version: 20221218,
        error: 'extension down is unavailable; try again shortly',
        retriable: true,
        data: {},
      },
    });
    expect(await post(envelope('heartbeat', {}), o, 'down')).toMatchObject({ status: 200 });
  });

  it('refuses an action the extension does not declare, without calling it', async () => {
    const count = scanner.requests.length;
    expect(await post(request('nope'))).toEqual({
      status: 400,
      json: {
        version: 20221218,
        error: 'unknown request action: nope',
        retriable: false,
        data: {},
      },
    });
    expect(scanner.requests).toHaveLength(count);
  });
});

describe("the action's parameter schema", () => {
  it.each([
    [{ sid: 's' }, 'missing parameter "target"'],
    [{ target: 't' }, 'missing parameter: one of "sid", "tag" is required'],
    [
      { target: 't', sid: 's', tag: 'x' },
      'parameters "sid" and "tag" exclude each other: give only one of "sid", "tag"',
    ],
    [{ target: null, sid: 's' }, 'missing parameter "target"'],
    [{ target: 5, sid: 's' }, 'invalid parameter "target": expected a string, got an integer'],
    [
      { target: 't', sid: 's', count: '3' },
      'invalid parameter "count": expected an integer, got a string',
    ],
    [
      { target: 't', sid: 's', count: 1.5 },
      'invalid parameter "count": expected an integer, got a number',
    ],
    [
      { target: 't', sid: 's', mode: 'slow' },
      'invalid parameter "mode": "slow" is not one of ["fast","deep"]',
    ],
    [
      { target: 't', sid: 's', ports: 22 },
      'invalid parameter "ports": expected a list, got an integer',
    ],
    [
      { target: 't', sid: 's', ports: [22, '80'] },
      'invalid parameter "ports[1]": expected an integer, got a string',
    ],
    [
      { target: 't', sid: 's', options: [] },
      'invalid parameter "options": expected an object, got a list',
    ],
    [
      { target: 't', sid: 's', options: { verbose: 'yes' } },
      'invalid parameter "options.verbose": expected a boolean, got a string',
    ],
  ])('refuses %j (400, not retriable): %s', async (data, error) => {
    const count = scanner.requests.length;
    expect(await post(request('scan', data))).toEqual({
      status: 400,
      json: { version: 20221218, error, retriable: false, data: {} },
    });
    expect(scanner.requests).toHaveLength(count);
  });
});

describe('metrics', () => {
  it("passes whole metrics on; a fraction or a negative one is the handler's error (500 retriable), naming the SKU", async () => {
    const raw = (how: string) => post(request('answer', { how }), { secret: 'raw-secret' }, 'raw');
    const whole = await raw('whole');
    expect(whole).toEqual({
      status: 200,
      json: {
        version: 20221218,
        error: '',
        data: { ok: true },
        metrics: {
          idempotent_key: expect.any(String),
          metrics: [{ sku: 'scans', value: 3 }],
        },
      },
    });
    expect(await raw('fraction')).toEqual({
      status: 500,
      json: {
        version: 20221218,
        error:
          'extension raw reported metric "scans" as 2.5: a metric must be a whole number from 0 to 2^53 - 1',
        retriable: true,
        data: {},
      },
    });
    expect(await raw('negative')).toMatchObject({
      status: 500,
      json: { error: expect.stringMatching(/^extension raw reported metric "bytes" as -1: /) },
    });
  });

  it("refuses an SDK handler's fractional metric in the SDK: logged there, an error id here", async () => {
    const { status, json } = await post(request('fraction'));
    expect(status).toBe(500);
    expect(json.error).toMatch(/^extension scanner failed \(error id [0-9a-f-]{36}\)$/);
  });
});

describe('continuations', () => {
  it('hands them to the scheduler with the idempotency key before answering 200 without them', async () => {
    const body = request('start');
    const { status, json } = await post(body);
    expect(status).toBe(200);
    expect(json).toEqual({ version: 20221218, error: '', data: { started: true } });
    expect(scheduler.received.at(-1)).toEqual({
      extensionName: 'scanner',
      sourceKey: body.idempotency_key,
      org: ORG,
      config: { api_key: 'k' },
      continuations: [
        { inDelaySec: 30, action: 'poll', state: { round: 1, of: body.idempotency_key } },
        { inDelaySec: 0, action: 'poll', state: {} },
      ],
    });
  });

  it('sends the same key again for a message LimaCharlie sends again', async () => {
    const body = request('start');
    await post(body);
    await post(body);
    const sent = scheduler.received.slice(-2).map((r) => r.sourceKey);
    expect(sent).toEqual([body.idempotency_key, body.idempotency_key]);
  });

  it('refuses a continuation of an action the extension does not declare (400)', async () => {
    const count = scheduler.received.length;
    expect(await post(request('runaway'))).toEqual({
      status: 400,
      json: {
        version: 20221218,
        error:
          'extension scanner asked for a continuation of "nowhere", an action it does not declare',
        retriable: false,
        data: {},
      },
    });
    expect(scheduler.received).toHaveLength(count);
  });

  it('answers 500 retriable when they cannot be stored, and 400 when the scheduler refuses them', async () => {
    scheduler.failWith = { code: GrpcStatus.UNAVAILABLE, details: 'database down' };
    try {
      expect(await post(request('start'))).toEqual({
        status: 500,
        json: {
          version: 20221218,
          error: 'continuations could not be stored; nothing was lost, send again',
          retriable: true,
          data: {},
        },
      });
      scheduler.failWith = { code: GrpcStatus.INVALID_ARGUMENT, details: 'state too large' };
      expect(await post(request('start'))).toMatchObject({
        status: 400,
        json: {
          error: 'the continuations of extension scanner were refused: state too large',
          retriable: false,
        },
      });
    } finally {
      scheduler.failWith = undefined;
    }
  });

  it('answers 500 retriable when the gateway has no scheduler', async () => {
    expect(await post(request('start'), {}, 'scanner', unscheduled)).toEqual({
      status: 500,
      json: {
        version: 20221218,
        error:
          'continuations could not be stored; nothing was lost, send again (the gateway has no scheduler)',
        retriable: true,
        data: {},
      },
    });
    // An answer without continuations needs no scheduler.
    expect(await post(request('poll'), {}, 'scanner', unscheduled)).toMatchObject({ status: 200 });
  });
});

describe('signatures and bodies', () => {
  const beat = () => envelope('heartbeat', {});

  it('refuses a missing, wrong, uppercase or other-secret signature with 401, handler never called', async () => {
    const count = scanner.requests.length;
    const body = request('scan', { target: 't', sid: 's' });
    const plain = JSON.stringify(body);
    for (const signature of [null, 'zz', sign('other', plain), sign(SECRET, plain).toUpperCase()]) {
      expect(await post(body, { signature })).toEqual({
        status: 401,
        json: { error: 'missing or bad lc-ext-sig signature' },
      });
    }
    // The bare extension's secret does not open the scanner's path.
    expect(await post(body, { secret: 'bare-secret' })).toMatchObject({ status: 401 });
    expect(scanner.requests).toHaveLength(count);
  });

  it('verifies a gzip body on its uncompressed bytes, never the compressed ones', async () => {
    const body = request('scan', { target: 'zipped', sid: 's' });
    expect(await post(body, { gzip: true })).toMatchObject({
      status: 200,
      json: { data: { scanned: 'zipped' } },
    });
    const compressed = gzipSync(Buffer.from(JSON.stringify(body)));
    expect(
      await post(body, { gzip: true, raw: compressed, signature: sign(SECRET, compressed) }),
    ).toMatchObject({ status: 401 });
  });

  it('refuses a gzip bomb at the extension body limit (413), holding nothing afterwards', async () => {
    // Members of 1 MiB of zeros (about 1 KiB each) up to the wire limit: about 60 MiB inflated.
    const member = gzipSync(Buffer.alloc(1024 * 1024));
    const bomb = Buffer.concat(
      Array.from({ length: Math.floor(MAX_BODY / member.length) }, () => member),
    );
    expect(await post(beat(), { gzip: true, raw: bomb, signature: 'a'.repeat(64) })).toEqual({
      status: 413,
      json: { error: `decompressed body larger than ${MAX_BODY} bytes` },
    });
    expect(gateway.counters.extensionBytesInFlight).toBe(0);
    expect(gateway.counters.bodyBytesInFlight).toBe(0);
  });

  it('refuses a gzip bomb inflating more than 1024 times its compressed size plus 1 MiB (413), naming the limit', async () => {
    expect(CALLBACK_LIMITS.maxGzipRatio).toBe(1024);
    // Deflate tops out near 1030 times: past 1024 plus the 1 MiB allowance only from about 160 MiB
    // of zeros (the 8 MiB cap stops such a bomb first). This gateway allows 512 times, to show the
    // rule itself with a bomb a test can afford.
    const ratio = 512;
    const limited = await LcGatewayApp.start({
      routes: [],
      extensions: [{ name: 'scanner', secret: SECRET, handler: handlers[0]!.address }],
      maxExtensionBodyBytes: 32 * 1024 * 1024,
      maxExtensionBytesInFlight: 64 * 1024 * 1024,
      maxGzipRatio: ratio,
    });
    try {
      const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024));
      expect((16 * 1024 * 1024) / bomb.length).toBeGreaterThan(1024);
      const limit = ratio * bomb.length + 1024 * 1024;
      const o = { gzip: true, raw: bomb, signature: 'a'.repeat(64) };
      expect(await post(beat(), o, 'scanner', limited)).toEqual({
        status: 413,
        json: {
          error:
            `decompressed body larger than ${limit} bytes (${ratio} times its ${bomb.length} ` +
            'compressed bytes, plus 1 MiB): no JSON compresses that well',
        },
      });
      expect(limited.counters.extensionBytesInFlight).toBe(0);
    } finally {
      await limited.stop();
    }
  });

  it('takes 2 MB of repetitive JSON gzipped about 175 times under the default limits', async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => ({
      sid: `00000000-0000-0000-0000-${String(i % 12).padStart(12, '0')}`,
      status: 'ok',
      code: 0,
      checked: 1764720000,
    }));
    const body = request('poll', { rows });
    const plain = Buffer.from(JSON.stringify(body));
    const compressed = gzipSync(plain);
    expect(plain.length).toBeGreaterThan(2_000_000);
    expect(plain.length / compressed.length).toBeGreaterThan(150);
    const o = { gzip: true, raw: compressed, signature: sign(SECRET, plain) };
    expect(await post(body, o, 'scanner', unscheduled)).toMatchObject({ status: 200 });
    expect(unscheduled.counters.extensionBytesInFlight).toBe(0);
  });

  it('gives the compressed bytes back to the budget once inflated: the handler call holds only the inflated ones', async () => {
    const body = request('held', { pad: 'p'.repeat(20_000) });
    const plain = Buffer.from(JSON.stringify(body));
    expect(await post(body, { gzip: true })).toEqual({
      status: 200,
      json: { version: 20221218, error: '', data: { held: plain.length } },
    });
    expect(gateway.counters.extensionBytesInFlight).toBe(0);
  });

  it('caps an inflated extension body at 8 MiB by default, far below the 50 MiB of callbacks (413)', async () => {
    // Hex of random bytes compresses about 2 times: within the ratio, over the cap once inflated.
    const plain = Buffer.from(randomBytes(4.5 * 1024 * 1024).toString('hex'));
    const compressed = gzipSync(plain);
    expect(compressed.length).toBeLessThan(CALLBACK_LIMITS.maxExtensionBodyBytes);
    expect(CALLBACK_LIMITS.maxExtensionBodyBytes).toBe(8 * 1024 * 1024);
    const o = { gzip: true, raw: compressed, signature: sign(SECRET, plain) };
    expect(await post(beat(), o, 'scanner', unscheduled)).toEqual({
      status: 413,
      json: { error: `decompressed body larger than ${8 * 1024 * 1024} bytes` },
    });
  });

  it('refuses a body larger than the limit on the wire (413) and a gzip header on plain bytes (400)', async () => {
    const big = Buffer.alloc(MAX_BODY + 1, 'x');
    expect(await post(beat(), { raw: big })).toMatchObject({ status: 413 });
    expect(await post(beat(), { gzip: true, raw: Buffer.from('{"heartbeat": {}}') })).toEqual({
      status: 400,
      json: { error: 'the body is not valid gzip (Content-Encoding: gzip)' },
    });
  });

  it('refuses other encodings (415), other methods (405) and unknown extensions (404)', async () => {
    expect(await post(beat(), { headers: { 'content-encoding': 'br' } })).toEqual({
      status: 415,
      json: { error: 'Content-Encoding "br" is not supported (gzip is)' },
    });
    expect(await post(beat(), { method: 'GET' })).toMatchObject({ status: 405 });
    expect(await post(beat(), {}, 'nobody')).toEqual({
      status: 404,
      json: { error: 'no extension at /ext/nobody' },
    });
  });

  it('refuses a signed body that is not an envelope, naming what is wrong (400)', async () => {
    const refused = (error: string) => ({
      status: 400,
      json: { version: 20221218, error, retriable: false, data: {} },
    });
    const raw = Buffer.from('not json');
    expect(await post({}, { raw, signature: sign(SECRET, raw) })).toEqual(
      refused('the body is not JSON'),
    );
    expect(await post({ version: 20221218, idempotency_key: 'k' })).toEqual(
      refused(
        'no message: expected exactly one of heartbeat, error_report, conf_validation, schema_request, request, event',
      ),
    );
    expect(await post({ ...beat(), schema_request: {} })).toEqual(
      refused('more than one message: heartbeat, schema_request'),
    );
    expect(await post(envelope('request', { org: ORG, action: 'scan' }, ''))).toEqual(
      refused('idempotency_key is missing (a request needs one)'),
    );
  });
});

describe('signed but hostile values', () => {
  it('refuses a value nested deeper than 32 levels (400, naming the field), handler never called', async () => {
    const count = scanner.events.length;
    // 6,000 levels in 36 KB: protobuf's Struct would overflow the stack turning it into a
    // message. Written as text: JSON.stringify would overflow this test's stack too.
    const data = `${'{"a":'.repeat(5999)}{}${'}'.repeat(5999)}`;
    const org = JSON.stringify(ORG);
    const raw = Buffer.from(
      `{"version":20221218,"idempotency_key":"deep","event":{"org":${org},"event_name":"subscribe","data":${data}}}`,
    );
    expect(await post({}, { raw, signature: sign(SECRET, raw) })).toEqual({
      status: 400,
      json: {
        version: 20221218,
        error: `event.data${'.a'.repeat(32)} nests deeper than 32 levels`,
        retriable: false,
        data: {},
      },
    });
    expect(scanner.events).toHaveLength(count);
  });

  it('refuses a __proto__ key (400, naming it) rather than letting it vanish', async () => {
    const count = scanner.requests.length;
    const text = JSON.stringify(request('scan', { target: 't', sid: 's', extra: {} })).replace(
      '"extra":{}',
      '"extra":{"__proto__":{"admin":true}}',
    );
    const raw = Buffer.from(text);
    expect(await post({}, { raw, signature: sign(SECRET, raw) })).toEqual({
      status: 400,
      json: {
        version: 20221218,
        error:
          'request.data.extra.__proto__: the key "__proto__" is not accepted (it names part of ' +
          "a JavaScript object's prototype)",
        retriable: false,
        data: {},
      },
    });
    expect(scanner.requests).toHaveLength(count);
  });

  it('passes constructor and prototype keys on (a Struct keeps them)', async () => {
    const data = { target: 't', sid: 's', extra: { constructor: 1, prototype: { x: 2 } } };
    expect(await post(request('scan', data))).toMatchObject({ status: 200 });
    expect(scanner.requests.at(-1)?.data).toEqual(data);
  });

  it('passes a value nested MAX_JSON_DEPTH levels on to the handler (it decodes it over gRPC)', async () => {
    // request.data is level 1: `deep` holds the other MAX_JSON_DEPTH - 1 levels.
    const deep = JSON.parse(
      `${'{"a":'.repeat(MAX_JSON_DEPTH - 2)}{}${'}'.repeat(MAX_JSON_DEPTH - 2)}`,
    );
    const data = { target: 't', sid: 's', deep };
    expect(await post(request('scan', data))).toMatchObject({ status: 200 });
    expect(scanner.requests.at(-1)?.data).toEqual(data);
    const deeper = { target: 't', sid: 's', deep: { a: deep } };
    expect(await post(request('scan', deeper))).toMatchObject({
      status: 400,
      json: { error: expect.stringMatching(/nests deeper than 32 levels$/) },
    });
  });
});
