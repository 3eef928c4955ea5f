import { readFileSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CALLBACK_LIMITS,
  canonicalBody,
  NOT_IMPLEMENTED,
  sign,
  SIGNATURE_HEADER,
} from '@checkwire/lc-wire';
import { LcService } from '@checkwire/lc-sdk';
import { LcGatewayApp, type LcGatewayOptions } from '../src/index.js';
import { postExtension } from './extension-harness.js';
import { lcBody, startGateway, type GatewayHarness } from './harness.js';

// What an unauthenticated sender can cost the real gateway (issue 10): the limits of
// CALLBACK_LIMITS, asserted by outcomes and counters, never by time.

const SECRET = 'defended-secret';
/** Well-formed (64 lowercase hex digits) and wrong. */
const WRONG_SIGNATURE = 'f'.repeat(64);
const UNSIGNED = { error: 'missing or bad lc-svc-sig signature' };

class PlainService extends LcService {
  constructor() {
    super('plain');
    this.subscribeToDetect('evil-process');
  }
  override onOrgInstalled() {
    return true;
  }
}

/** About 4 MiB of JSON: 2,000 keys of 2,000 characters sharing their first 1,990. */
const ATTACK = Buffer.from(
  JSON.stringify(
    Object.fromEntries(
      Array.from({ length: 2000 }, (_, i) => [
        `${'k'.repeat(1990)}${String(i).padStart(10, '0')}`,
        i,
      ]),
    ),
  ),
);

let h: GatewayHarness;
const plain = new PlainService();

beforeAll(async () => {
  h = await startGateway([plain], ([a]) => [{ name: 'plain', secret: SECRET, handler: a! }]);
});
afterAll(() => h.stop());

const healthy = () => ({
  status: 200,
  json: {
    success: true,
    data: {
      version: 1,
      start_time: Math.floor(plain.startTime.getTime() / 1000),
      calls_in_progress: 0,
      mtd: {
        detect_subscriptions: ['evil-process'],
        callbacks: ['org_install'],
        request_params: {},
      },
    },
  },
});

/** POSTs `bytes` to the gateway at `url` with `signature`; the status, Retry-After and JSON. */
async function postBytes(url: string, bytes: string | Buffer, signature: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
    body: bytes,
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: await res.json() };
}

async function signedHealth(url: string) {
  const body = canonicalBody(lcBody('health'));
  const { status, json } = await postBytes(`${url}/plain`, body, sign(SECRET, body));
  return { status, json };
}

/**
 * Resolves once `condition` holds (polled; how long it takes is not the point), failing with
 * `what` if it still does not hold after a generous deadline rather than hanging the run.
 */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what} after 30 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Another gateway in front of the same handler and Jobs server, with its own limits. */
function startLimited(limits: Partial<LcGatewayOptions>): Promise<LcGatewayApp> {
  return LcGatewayApp.start({
    routes: [{ name: 'plain', secret: SECRET, handler: h.handlers[0]!.address }],
    jobsAddress: h.jobsAddress,
    token: h.token,
    ...limits,
  });
}

describe('bodies that do not verify', () => {
  it('four attackers sending 4 MiB of long keys: 401, never parsed; health answers meanwhile', async () => {
    const before = h.gateway.counters;
    let attacking = true;
    const attacker = async () => {
      const answers = [];
      for (let i = 0; i < 3; i++) {
        answers.push(await postBytes(`${h.gateway.url}/plain`, ATTACK, WRONG_SIGNATURE));
      }
      return answers;
    };
    const attackers = Promise.all([attacker(), attacker(), attacker(), attacker()]).finally(() => {
      attacking = false;
    });
    const health = [];
    do health.push(await signedHealth(h.gateway.url));
    while (attacking || health.length < 5);

    for (const answer of (await attackers).flat()) {
      expect(answer).toEqual({ status: 401, retryAfter: null, json: UNSIGNED });
    }
    for (const answer of health) expect(answer).toEqual(healthy());
    const after = h.gateway.counters;
    expect(after.canonicalSkipped - before.canonicalSkipped).toBe(12);
    expect(after.canonicalChecked).toBe(before.canonicalChecked);
    expect(after.bodyBytesInFlight).toBe(0);
  });

  it('over canonicalMaxBodyBytes a body verifies on its raw bytes only', async () => {
    const url = `${h.gateway.url}/plain`;
    const small = lcBody('health', { pad: 'x'.repeat(1000) });
    const large = lcBody('health', { pad: 'x'.repeat(20 * 1024) });
    const before = h.gateway.counters;
    // Signed canonically (lcservice 1.8.0), sent compact: verified by rendering, when small.
    const compact = (body: unknown) => JSON.stringify(body);
    const canonicallySigned = (body: unknown) => sign(SECRET, canonicalBody(body));
    expect((await postBytes(url, compact(small), canonicallySigned(small))).status).toBe(200);
    expect(await postBytes(url, compact(large), canonicallySigned(large))).toEqual({
      status: 401,
      retryAfter: null,
      json: UNSIGNED,
    });
    // Signed on the bytes sent (LimaCharlie, lcservice 1.8.6): any size up to maxBodyBytes.
    expect((await postBytes(url, compact(large), sign(SECRET, compact(large)))).status).toBe(200);
    const after = h.gateway.counters;
    expect(after.canonicalChecked - before.canonicalChecked).toBe(1);
    expect(after.canonicalSkipped - before.canonicalSkipped).toBe(1);
  });
});

describe('prototype keys', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'etype %s is not implemented (HTTP 200)',
    async (etype) => {
      expect(await h.post('/plain', lcBody(etype))).toEqual({ status: 200, json: NOT_IMPLEMENTED });
    },
  );
});

describe('body bytes in flight', () => {
  it('over maxBodyBytesInFlight: 503 with Retry-After, then taken once bytes are freed', async () => {
    const gateway = await startLimited({
      maxBodyBytes: 64 * 1024,
      maxBodyBytesInFlight: 64 * 1024,
      bodyGraceMs: 60_000,
    });
    try {
      const url = `${gateway.url}/plain`;
      // One request holds 30,000 bytes of its body and waits.
      const held = Buffer.from(canonicalBody(lcBody('health', { pad: 'a'.repeat(40_000) })));
      let answered: Promise<number> = Promise.resolve(0);
      const holder = request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': held.length,
          [SIGNATURE_HEADER]: sign(SECRET, held),
        },
      });
      answered = new Promise((resolve, reject) => {
        holder.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        holder.on('error', reject);
      });
      holder.write(held.subarray(0, 30_000));
      await until(
        () => gateway.counters.bodyBytesInFlight === 30_000,
        'the held body to be counted',
      );

      const other = canonicalBody(lcBody('health', { pad: 'b'.repeat(40_000) }));
      expect(await postBytes(url, other, sign(SECRET, other))).toEqual({
        status: 503,
        retryAfter: '1',
        json: { error: 'too many body bytes in flight, retry later' },
      });
      expect(gateway.counters.bodyBytesInFlight).toBe(30_000);

      holder.end(held.subarray(30_000));
      expect(await answered).toBe(200);
      expect((await postBytes(url, other, sign(SECRET, other))).status).toBe(200);
      expect(gateway.counters.bodyBytesInFlight).toBe(0);
    } finally {
      await gateway.stop();
    }
  });
});

describe('extension bytes in flight, a budget of their own', () => {
  it("unsigned extension bodies and a gzip bomb fill only the extensions' budget: a signed callback arriving meanwhile is answered", async () => {
    const gateway = await startLimited({
      maxBodyBytes: 64 * 1024,
      maxBodyBytesInFlight: 64 * 1024,
      maxExtensionBodyBytes: 64 * 1024,
      maxExtensionBytesInFlight: 128 * 1024,
      bodyGraceMs: 60_000,
      // Never called: nothing here is signed with its secret.
      extensions: [{ name: 'ext', secret: 'ext-secret', handler: '127.0.0.1:1' }],
    });
    const holders: ClientRequest[] = [];
    try {
      // Two unsigned gzip bodies hold 50,000 bytes each and wait (until they are cut off below).
      for (let i = 0; i < 2; i++) {
        const holder = request(`${gateway.url}/ext/ext`, {
          method: 'POST',
          headers: {
            'content-encoding': 'gzip',
            'content-length': 64 * 1024,
            'lc-ext-sig': WRONG_SIGNATURE,
          },
        });
        holder.on('error', () => undefined);
        holder.write(Buffer.alloc(50_000));
        holders.push(holder);
      }
      await until(
        () => gateway.counters.extensionBytesInFlight === 100_000,
        'the two held bodies to be counted',
      );
      expect(gateway.counters.bodyBytesInFlight).toBe(0);

      // An unsigned gzip bomb meanwhile: its 64 KiB inflated do not fit in the 31,072 bytes left.
      const bomb = gzipSync(Buffer.alloc(64 * 1024));
      const o = { secret: 'ext-secret', gzip: true, raw: bomb, signature: WRONG_SIGNATURE };
      // lc-extension knows 200, 400 and 500: over the budget is a retriable 500 in its shape.
      expect(await postExtension(`${gateway.url}/ext/ext`, {}, o)).toEqual({
        status: 500,
        json: {
          version: 20221218,
          error: 'too many body bytes in flight, retry later',
          retriable: true,
        },
      });
      expect(gateway.counters.extensionBytesInFlight).toBe(100_000);

      // A signed callback as large as the callbacks' whole budget, while they are held: answered.
      const callback = canonicalBody(lcBody('health', { pad: 'c'.repeat(60_000) }));
      expect(callback.length).toBeGreaterThan(60_000);
      const answer = await postBytes(`${gateway.url}/plain`, callback, sign(SECRET, callback));
      expect(answer).toMatchObject({ status: 200, json: { success: true } });

      for (const holder of holders) holder.destroy();
      await until(
        () => gateway.counters.extensionBytesInFlight === 0,
        'the extension budget to be given back',
      );
    } finally {
      for (const holder of holders) holder.destroy();
      await gateway.stop();
    }
  });
});

/**
 * A connection that writes `first`, then `drip` every 50 ms until it is closed; resolves with
 * what it was answered (possibly nothing: a reset may overtake the answer).
 */
function trickle(url: string, first: string, drip: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    const timer = setInterval(() => socket.write(drip), 50);
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    // Writing to a connection the gateway closed fails; that is the point.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve(answer);
    });
    socket.write(first);
  });
}

describe('slow senders', () => {
  it('headers or a body trickled in are cut off; signed callbacks work meanwhile', async () => {
    const gateway = await startLimited({
      headersTimeoutMs: 300,
      requestTimeoutMs: 30_000,
      bodyGraceMs: 300,
      minBodyBytesPerSecond: 1000,
    });
    try {
      const { host } = new URL(gateway.url);
      const slowHeaders = trickle(
        gateway.url,
        `POST /plain HTTP/1.1\r\nHost: ${host}\r\n`,
        'x: y\r\n',
      );
      const head =
        `POST /plain HTTP/1.1\r\nHost: ${host}\r\ncontent-type: application/json\r\n` +
        `content-length: 100000\r\n${SIGNATURE_HEADER}: ${WRONG_SIGNATURE}\r\n\r\n`;
      const slowBody = trickle(gateway.url, head, ' ');

      expect(await signedHealth(gateway.url)).toEqual(healthy());
      // Closed, with a 408 when the answer got through before the connection went.
      expect(await slowHeaders).toMatch(/^(HTTP\/1\.1 408 Request Timeout\r\n.*)?$/s);
      expect(await slowBody).toMatch(/^(HTTP\/1\.1 408 .*\{"error":"request body too slow"\})?$/s);
      await until(() => gateway.counters.bodyBytesInFlight === 0, 'the budget to be given back');
      expect(await signedHealth(gateway.url)).toEqual(healthy());
    } finally {
      await gateway.stop();
    }
  });
});

describe('the limits, documented', () => {
  it("every limit's variable and default are in .env.example and the app's README", () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const envExample = readFileSync(join(root, '.env.example'), 'utf8');
    const readme = readFileSync(join(root, 'apps', 'lc-gateway', 'README.md'), 'utf8');
    for (const [option, value] of Object.entries(CALLBACK_LIMITS)) {
      const variable = `LC_GATEWAY_${option.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
      expect(envExample).toContain(`\n${variable}=${value}\n`);
      expect(readme).toMatch(new RegExp(`\\| \`${variable}\` +\\| ${value}[ (]`));
    }
  });
});
