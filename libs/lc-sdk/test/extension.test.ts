import { Client, credentials, Metadata } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPromiseClient,
  GrpcStatus,
  isGrpcError,
  type PromiseClient,
  type RunningGrpcServer,
} from '@checkwire/grpc';
import { LcExtensionServiceService } from '@checkwire/proto';
import {
  Extension,
  extensionBinding,
  ExtensionError,
  serveExtension,
  type RequestContext,
} from '../src/index.js';

// An SDK Extension served as LcExtensionService and called over real gRPC as the gateway and the
// scheduler call it: its declarations, a continuation coming due, answers and errors, the token.

const TOKEN = 'extension-token';

class Poller extends Extension {
  readonly calls: RequestContext[] = [];
  constructor() {
    super('poller');
    this.setConfigSchema({ fields: { url: { data_type: 'url' } }, requirements: [['url']] });
    this.action(
      'watch',
      {
        shortDescription: 'watch a URL',
        isUserFacing: false,
        label: 'Watch',
        messages: { inProgress: 'watching…', error: 'could not watch' },
        isDefault: true,
        extra: { allow_automation: true, label: 'overridden by label' },
        parameters: { fields: { every: { data_type: 'integer' } }, requirements: [] },
        response: { fields: { ok: { data_type: 'bool' } } },
      },
      (ctx) => {
        this.calls.push(ctx);
        const round = Number(ctx.data.round ?? 0) + 1;
        return {
          data: { round },
          continuations: round < 3 ? [{ inDelaySec: 60, action: 'watch', state: { round } }] : [],
          metrics: [{ sku: 'polls', value: 1 }],
        };
      },
    );
    this.action('fail', {}, (ctx) => {
      if (ctx.data.how === 'final') throw new ExtensionError('no such URL', { retriable: false });
      if (ctx.data.how === 'again') throw new ExtensionError('upstream busy');
      throw new TypeError('not for LimaCharlie');
    });
    this.action('bill', {}, (ctx) => ({ metrics: [{ sku: 'polls', value: Number(ctx.data.n) }] }));
    this.onEvent('subscribe', () => undefined);
  }
}

let server: RunningGrpcServer;
let client: PromiseClient<typeof LcExtensionServiceService>;
const poller = new Poller();

beforeAll(async () => {
  server = await serveExtension(poller, { token: TOKEN });
  client = createPromiseClient(LcExtensionServiceService, server.address, { token: TOKEN });
});
afterAll(async () => {
  client.close();
  await server.shutdown(100);
});

const call = (idempotencyKey: string) => ({
  extensionName: 'poller',
  idempotencyKey,
  deadline: new Date(Date.now() + 60_000),
});

describe('serveExtension', () => {
  it('describes the config schema, the actions and the events', async () => {
    expect(await client.describeExtension({})).toEqual({
      configSchema: { fields: { url: { data_type: 'url' } }, requirements: [['url']] },
      actions: [
        {
          name: 'watch',
          isUserFacing: false,
          shortDescription: 'watch a URL',
          longDescription: '',
          isImpersonated: false,
          parameters: { fields: { every: { data_type: 'integer' } }, requirements: [] },
          response: { fields: { ok: { data_type: 'bool' } } },
          // lc-extension's spelling, for the gateway to merge into the action's schema entry.
          extra: {
            allow_automation: true,
            label: 'Watch',
            is_default: true,
            messages: { in_progress: 'watching…', error: 'could not watch' },
          },
        },
        {
          name: 'fail',
          isUserFacing: true,
          shortDescription: '',
          longDescription: '',
          isImpersonated: false,
          parameters: { fields: {}, requirements: [] },
          response: undefined,
          extra: {},
        },
        {
          name: 'bill',
          isUserFacing: true,
          shortDescription: '',
          longDescription: '',
          isImpersonated: false,
          parameters: { fields: {}, requirements: [] },
          response: undefined,
          extra: {},
        },
      ],
      requiredEvents: ['subscribe'],
      extraSchema: {},
    });
  });

  it('answers with data, continuations and metrics', async () => {
    const { response } = await client.onExtensionRequest({
      request: {
        call: call('k-1'),
        org: { oid: 'o', jwt: 'j', ident: 'i' },
        action: 'watch',
        data: { every: 5 },
        config: { url: 'https://example.com' },
      },
    });
    expect(response).toEqual({
      error: '',
      data: { round: 1 },
      continuations: [{ inDelaySec: 60, action: 'watch', state: { round: 1 } }],
      metrics: [{ sku: 'polls', value: 1 }],
    });
    expect(poller.calls.at(-1)).toMatchObject({
      extensionName: 'poller',
      idempotencyKey: 'k-1',
      org: { oid: 'o', jwt: 'j', ident: 'i' },
      config: { url: 'https://example.com' },
      continuation: undefined,
    });
  });

  it('gives a continuation coming due its origin, with its state as data', async () => {
    const dueAt = new Date('2026-12-03T10:00:00Z');
    const { response } = await client.onExtensionRequest({
      request: {
        call: call('continuation-7'),
        org: { oid: 'o' },
        action: 'watch',
        data: { round: 2 },
        continuation: { id: 'continuation-7', attempt: 2, dueAt },
      },
    });
    expect(response?.data).toEqual({ round: 3 });
    expect(response?.continuations).toEqual([]);
    expect(poller.calls.at(-1)).toMatchObject({
      idempotencyKey: 'continuation-7',
      data: { round: 2 },
      continuation: { id: 'continuation-7', attempt: 2, dueAt },
    });
  });

  it('answers an ExtensionError as {error, retriable}; any other error is INTERNAL with an id only', async () => {
    const fail = async (how: string) =>
      (
        await client.onExtensionRequest({
          request: { call: call(how), org: { oid: 'o' }, action: 'fail', data: { how } },
        })
      ).response;
    expect(await fail('final')).toMatchObject({ error: 'no such URL', retriable: false });
    expect(await fail('again')).toMatchObject({ error: 'upstream busy', retriable: true });
    const err = await fail('bug').catch((e: unknown) => e);
    expect(isGrpcError(err) && err.code).toBe(GrpcStatus.INTERNAL);
    expect(isGrpcError(err) && err.details).toMatch(
      /^action fail failed \(error id [0-9a-f-]{36}\)$/,
    );
  });

  it('leaves `retriable` unset on success: it only means something with an error', async () => {
    const { response } = await client.onExtensionRequest({
      request: { call: call('k-2'), org: { oid: 'o' }, action: 'watch', data: {} },
    });
    expect(response?.retriable).toBeUndefined();
  });

  it("refuses a metric lc-extension could not read (a uint64) as the handler's fault, naming the SKU in its log", async () => {
    const bill = async (n: number) =>
      client.onExtensionRequest({
        request: { call: call(`bill-${n}`), org: { oid: 'o' }, action: 'bill', data: { n } },
      });
    expect((await bill(7)).response?.metrics).toEqual([{ sku: 'polls', value: 7 }]);
    for (const n of [1.5, -1, 2 ** 53]) {
      const err = await bill(n).catch((e: unknown) => e);
      expect(isGrpcError(err) && GrpcStatus[err.code]).toBe('INTERNAL');
      expect(isGrpcError(err) && err.details).toMatch(
        /^action bill failed \(error id [0-9a-f-]{36}\)$/,
      );
    }
  });

  it('answers UNIMPLEMENTED for an unknown action or event and a callback it does not define', async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'answered',
        (e: unknown) => (isGrpcError(e) ? GrpcStatus[e.code] : e),
      );
    expect(await code(client.onExtensionRequest({ request: { action: 'nope' } }))).toBe(
      'UNIMPLEMENTED',
    );
    expect(await code(client.onExtensionEvent({ event: { eventName: 'update' } }))).toBe(
      'UNIMPLEMENTED',
    );
    expect(await code(client.validateExtensionConfig({ validation: {} }))).toBe('UNIMPLEMENTED');
    expect(await code(client.onExtensionErrorReport({ report: { error: 'x' } }))).toBe(
      'UNIMPLEMENTED',
    );
    expect(await code(client.onExtensionEvent({ event: { eventName: 'subscribe' } }))).toBe(
      'answered',
    );
  });

  it("reads the token as Checkwire's services do: the scheme in any case, spaces before the token", async () => {
    const status = (authorization: string) => describeWith(server.address, authorization);
    expect(await status(`Bearer ${TOKEN}`)).toBe('OK');
    expect(await status(`bearer   ${TOKEN}`)).toBe('OK');
    expect(await status(`BEARER ${TOKEN}`)).toBe('OK');
    expect(await status(`Bearer ${TOKEN}x`)).toBe('UNAUTHENTICATED');
    expect(await status(`Basic ${TOKEN}`)).toBe('UNAUTHENTICATED');
    expect(await status(TOKEN)).toBe('UNAUTHENTICATED');
  });

  it('refuses a token with spaces when it is configured (it could never be sent)', () => {
    expect(() => extensionBinding(poller, 'two words')).toThrow(
      'serveExtension: token must not contain spaces (it goes as "Bearer <token>")',
    );
  });

  it('refuses a call without the token', async () => {
    const stranger = createPromiseClient(LcExtensionServiceService, server.address);
    try {
      const err = await stranger.describeExtension({}).catch((e: unknown) => e);
      expect(isGrpcError(err) && GrpcStatus[err.code]).toBe('UNAUTHENTICATED');
    } finally {
      stranger.close();
    }
  });
});

/** DescribeExtension with `authorization` as given, over grpc-js itself; the status's name. */
async function describeWith(address: string, authorization: string): Promise<string> {
  const raw = new Client(address, credentials.createInsecure());
  const metadata = new Metadata();
  metadata.set('authorization', authorization);
  try {
    return await new Promise((resolve) => {
      raw.makeUnaryRequest(
        '/checkwire.lc.v1.LcExtensionService/DescribeExtension',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.alloc(0),
        metadata,
        (err) => resolve(GrpcStatus[err?.code ?? GrpcStatus.OK]),
      );
    });
  } finally {
    raw.close();
  }
}
