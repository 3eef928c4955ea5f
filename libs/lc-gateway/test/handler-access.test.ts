import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import { canonicalBody, sign, SIGNATURE_HEADER } from '@checkwire/lc-wire';
import { Job, LcService, response, type CallbackContext } from '@checkwire/lc-sdk';
import { LcHandlerServiceService } from '@checkwire/proto';
import { LcGatewayApp } from '../src/index.js';
import { lcBody, startGateway, type GatewayHarness } from './harness.js';

// Handlers that require a bearer token, a handler that goes away after describing itself, and a
// gateway whose Jobs service is down: the real gateway, real handlers, the real Jobs server.

const TOKEN = 'handler-token-0123456789';

/** Counts what reaches it. */
class Counting extends LcService {
  calls = 0;
  constructor(name: string) {
    super(name);
    this.subscribeToDetect(`${name}-detection`);
  }
  override onRequest(ctx: CallbackContext) {
    this.calls++;
    if (ctx.data.job === true) {
      return response({ jobs: [new Job('kept for later', JOB_ID).narrate('one')] });
    }
    return response({ data: { ok: true } });
  }
}

const JOB_ID = '77777777-2222-4333-8444-555555555555';
const guarded = new Counting('guarded');
const vanishing = new Counting('vanishing');
let h: GatewayHarness;

beforeAll(async () => {
  h = await startGateway(
    [guarded, vanishing],
    ([a, b]) => [
      { name: 'guarded', secret: 'g-secret', handler: a!, token: TOKEN },
      { name: 'wrong-token', secret: 'w-secret', handler: a!, token: 'not-the-token' },
      { name: 'no-token', secret: 'n-secret', handler: a! },
      { name: 'vanishing', secret: 'v-secret', handler: b! },
      // Nothing listens on port 1: never described.
      { name: 'never', secret: 'x-secret', handler: '127.0.0.1:1' },
    ],
    { serve: [{ token: TOKEN }], describeTtlMs: 0 },
  );
});
afterAll(() => h.stop());

/** `<what> (error id <uuid>)`, exactly. */
const errorId = (what: string) => new RegExp(`^${what} \\(error id [0-9a-f-]{36}\\)$`);

describe('a handler with a token', () => {
  it('answers the gateway that sends the token', async () => {
    const answer = await h.post('/guarded', lcBody('request', {}), { secret: 'g-secret' });
    expect(answer).toEqual({ status: 200, json: { success: true, data: { ok: true } } });
    expect(guarded.calls).toBe(1);
  });

  it('refuses calls without the token or with another one, UNAUTHENTICATED, unseen', async () => {
    const before = guarded.calls;
    const address = h.handlers[0]!.address;
    const callback = {
      etype: 'request',
      oid: 'forged',
      jwt: '',
      mid: '',
      deadline: undefined,
      data: {},
      serviceName: 'guarded',
      sid: '',
    };
    for (const token of [undefined, 'not-the-token', `${TOKEN}x`, TOKEN.slice(1)]) {
      const client = createPromiseClient(LcHandlerServiceService, address, { token });
      await expect(client.onRequest({ callback })).rejects.toMatchObject({
        code: status.UNAUTHENTICATED,
        details: 'missing or bad handler token',
      });
      await expect(client.describe({})).rejects.toMatchObject({
        code: status.UNAUTHENTICATED,
      });
      client.close();
    }
    expect(guarded.calls).toBe(before);
  });

  it('through a gateway route without the right token: retry, the handler never reached', async () => {
    const before = guarded.calls;
    for (const [path, secret] of [
      ['/wrong-token', 'w-secret'],
      ['/no-token', 'n-secret'],
    ] as const) {
      const { json: answer } = await h.post(path, lcBody('request', { action: 'x' }), { secret });
      expect(answer).toEqual({
        success: false,
        retry: true,
        data: { exception: expect.stringMatching(errorId(`handler ${path.slice(1)} failed`)) },
        error: answer.data.exception,
      });
      expect(JSON.stringify(answer)).not.toMatch(/UNAUTHENTICATED|handler token|Bearer/);
    }
    expect(guarded.calls).toBe(before);
  });
});

describe('health', () => {
  it('answers from the last successful Describe once the handler is gone', async () => {
    const first = await h.post('/vanishing', lcBody('health'), { secret: 'v-secret' });
    expect(first.json.success).toBe(true);
    await h.handlers[1]!.shutdown(0);
    // Describe is asked on every call here (describeTtlMs 0), and now fails.
    // Health still answers, from the last answer.
    const later = await h.post('/vanishing', lcBody('health'), { secret: 'v-secret' });
    expect(later.json).toEqual(first.json);
    expect(later.json.data.mtd.detect_subscriptions).toEqual(['vanishing-detection']);
  });

  it('a handler never described: retry, no address', async () => {
    const { json: answer } = await h.post('/never', lcBody('health'), { secret: 'x-secret' });
    expect(answer).toEqual({
      success: false,
      retry: true,
      data: {},
      error: 'handler never is unavailable; try again shortly',
    });
  });
});

describe('the Jobs service down', () => {
  it("answers retry, so the handler's jobs come again", async () => {
    const gateway = await LcGatewayApp.start({
      routes: [
        { name: 'guarded', secret: 'g-secret', handler: h.handlers[0]!.address, token: TOKEN },
      ],
      jobsAddress: '127.0.0.1:1',
    });
    try {
      const answer = await fetchCallback(
        gateway.url,
        '/guarded',
        'g-secret',
        lcBody('request', { job: true }),
      );
      expect(answer).toEqual({
        success: false,
        retry: true,
        data: {},
        error: 'the jobs of handler guarded could not be stored now; try again shortly',
      });
      expect(JSON.stringify(answer)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|UNAVAILABLE/);
    } finally {
      await gateway.stop();
    }
  });
});

async function fetchCallback(url: string, path: string, secret: string, body: unknown) {
  const bytes = canonicalBody(body);
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(secret, bytes) },
    body: bytes,
  });
  return (await res.json()) as Record<string, unknown>;
}
