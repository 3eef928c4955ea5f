import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { status } from '@grpc/grpc-js';
import { canonicalBody, HANDLER_ETYPES, pythonJsonDumps, sign } from '@checkwire/lc-wire';
import {
  hexDump,
  Job,
  json,
  LcService,
  response,
  responseNotImplemented,
  table,
  yaml,
  type CallbackContext,
} from '@checkwire/lc-sdk';
import { lcBody, startGateway, type GatewayHarness } from './harness.js';

// Real signed HTTP to the real gateway, which calls real handlers (served by the SDK) over gRPC
// and stores jobs through the real Jobs server (its own process) in PostgreSQL.

const SECRET = 'origin-secret-1';
const RULE = 'detect:\n  event: NEW_PROCESS\n';
const BYTES = Buffer.from([0, 1, 2, 0xfe, 0xff, 0x41, 0x0a]);
const JSON_DATA = { name: 'café', list: [1, 2.5, { deep: null }], empty: {} };
const YAML_DATA = { rules: ['a', 'b'], count: 2 };

const ACTIONS = ['echo', 'job', 'slow', 'boom', 'nope', 'again', 'orphan', 'causeless'];
const ORPHAN_ID = '99999999-2222-4333-8444-555555555555';

/** Records every callback it gets; a few behave badly on purpose. */
class EverythingService extends LcService {
  readonly seen: CallbackContext[] = [];
  /** One job object returned by every `again` request, narrating one more entry each time. */
  private readonly again = new Job('returned again and again');
  private againCalls = 0;
  constructor() {
    super('everything');
    this.setRequestParameters({
      action: { type: 'enum', values: ACTIONS, isRequired: true },
      count: { type: 'int', desc: 'how many' },
      flag: { type: 'bool' },
      label: { type: 'str' },
    });
    this.subscribeToDetect('evil-process');
    this.publishResource('rule-1', 'detect', RULE);
    this.publishResource('blob', 'lookup', BYTES);
    for (const method of Object.values(HANDLER_ETYPES)) {
      if (method === 'onRequest') continue;
      (this as unknown as Record<string, unknown>)[method] = (ctx: CallbackContext) => {
        this.seen.push(ctx);
        return response({ data: { etype: ctx.etype, oid: ctx.oid, sid: ctx.sid } });
      };
    }
  }

  override async onRequest(ctx: CallbackContext) {
    this.seen.push(ctx);
    switch (ctx.data.action) {
      case 'slow':
        await new Promise((r) => setTimeout(r, 3000));
        return true;
      case 'boom':
        throw new Error('boom');
      case 'nope':
        return responseNotImplemented();
      case 'again':
        this.again.narrate(`call ${++this.againCalls}`);
        return response({ jobs: [this.again] });
      case 'orphan':
        // A job the store does not know, named by id and without a cause: refused by Jobs.
        return response({ jobs: [new Job('', ORPHAN_ID).narrate('lost')] });
      case 'causeless':
        // A new job without a cause: the SDK refuses to send it (lcservice raises too).
        return response({ jobs: [new Job().narrate('no cause')] });
      case 'job': {
        const job = new Job('because the test asked', '11111111-2222-4333-8444-555555555555');
        job.addSensor('sensor-a').addSensor('sensor-b');
        job.narrate('first', { important: true, attachments: [hexDump('bytes', BYTES)] });
        job.narrate('second', {
          attachments: [
            table(
              't',
              ['sid', 'n'],
              [
                ['sensor-a', 1],
                ['sensor-b', 2],
              ],
            ),
            json('j', JSON_DATA),
            yaml('y', YAML_DATA),
          ],
        });
        job.close();
        return response({ data: { made: job.id }, jobs: [job] });
      }
      default:
        return response({ data: { echo: ctx.data, jwt: ctx.jwt, mid: ctx.mid } });
    }
  }
}

/** Implements nothing at all. */
class NothingService extends LcService {
  constructor() {
    super('nothing');
  }
}

let h: GatewayHarness;
const everything = new EverythingService();

beforeAll(async () => {
  h = await startGateway(
    [everything, new NothingService()],
    ([a, b]) => [
      { name: 'everything', secret: SECRET, handler: a! },
      { name: 'nothing', secret: 'other-secret', handler: b! },
      // Nothing listens on port 1: a handler that is down.
      { name: 'down', secret: 'down-secret', handler: '127.0.0.1:1' },
    ],
    { maxBodyBytes: 64 * 1024 },
  );
});
afterAll(() => h.stop());

const calls = () => everything.seen.length;

/** `<what> (error id <uuid>)`, exactly. */
const ERROR_ID = (what: string) =>
  new RegExp(`^${what.replace(/[()]/g, '\\$&')} \\(error id [0-9a-f-]{36}\\)$`);

/**
 * Periodic callbacks for `oid` until one carries jobs (the gateway learns of undelivered jobs
 * from a feed, a moment after they are stored); fails loudly after 15 s.
 */
async function postUntilJobs(oid: string) {
  const end = Date.now() + 15_000;
  for (;;) {
    const answer = await h.post('/everything', lcBody('org_per_1h', {}, { oid }));
    if (answer.json.jobs !== undefined) return answer;
    if (Date.now() > end)
      throw new Error(`no jobs delivered for ${oid}: ${JSON.stringify(answer.json)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('signatures', () => {
  it('answers 401 to a bad or missing signature and never reaches the handler', async () => {
    const before = calls();
    const body = lcBody('request', { action: 'echo' });
    const wrong = await h.post('/everything', body, { secret: 'not-the-secret' });
    expect(wrong).toEqual({ status: 401, json: { error: 'missing or bad lc-svc-sig signature' } });
    expect((await h.post('/everything', body, { signature: null })).status).toBe(401);
    expect((await h.post('/everything', body, { signature: 'a'.repeat(64) })).status).toBe(401);
    // lcservice compares the lowercase hexdigest exactly: the right HMAC in uppercase is refused.
    const upper = sign(SECRET, canonicalBody(body)).toUpperCase();
    expect(await h.post('/everything', body, { signature: upper })).toEqual({
      status: 401,
      json: { error: 'missing or bad lc-svc-sig signature' },
    });
    // A valid signature for another route does not open this one.
    expect((await h.post('/everything', body, { secret: 'other-secret' })).status).toBe(401);
    expect(calls()).toBe(before);
  });

  it('accepts the raw-body signature and the canonical one, and routes / by secret', async () => {
    const body = lcBody('request', { action: 'echo' });
    const compact = JSON.stringify(body);
    const raw = await h.post('/everything', body, { raw: compact });
    expect(raw.json.success).toBe(true);
    const canonical = await h.post('/everything', body, {
      raw: compact,
      signature: sign(SECRET, pythonJsonDumps(body, { sortKeys: true })),
    });
    expect(canonical.json.success).toBe(true);
    const bySecret = await h.post('/', lcBody('health'), { secret: 'other-secret' });
    expect(bySecret.json.data.mtd.callbacks).toEqual([]);
  });
});

/** POSTs `size` bytes in 1 KiB chunks without a Content-Length (chunked transfer encoding). */
function postChunked(path: string, size: number): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${h.gateway.url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('HTTP errors', () => {
  it('answers 400, 404, 405 and 413 with JSON bodies', async () => {
    const before = calls();
    expect(await h.post('/everything', {}, { raw: '{"etype": "request", ' })).toEqual({
      status: 400,
      json: { error: 'body must be a JSON object' },
    });
    expect(await h.post('/everything', {}, { raw: '[1, 2]' })).toMatchObject({ status: 400 });
    expect(await h.post('/nowhere', lcBody('health'))).toEqual({
      status: 404,
      json: { error: 'no service at /nowhere' },
    });
    const big = lcBody('request', { action: 'echo', label: 'x'.repeat(70 * 1024) });
    expect(await h.post('/everything', big)).toEqual({
      status: 413,
      json: { error: 'body larger than 65536 bytes' },
    });
    expect(await postChunked('/everything', 70 * 1024)).toEqual({
      status: 413,
      json: { error: 'body larger than 65536 bytes' },
    });
    const res = await fetch(`${h.gateway.url}/everything`);
    expect({ status: res.status, json: await res.json() }).toEqual({
      status: 405,
      json: { error: 'only POST is accepted' },
    });
    expect(calls()).toBe(before);
  });
});

// lcservice 1.8.6 does not look at Content-Type (`text/plain` gets 200): neither does the gateway.
describe('Content-Type', () => {
  it.each([
    ['Content-Type text/plain', 'text/plain'],
    ['no Content-Type', null],
    ['Content-Type application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
    ['Content-Type application/json; charset=utf-8', 'application/json; charset=utf-8'],
    ['a Content-Type that is no media type', 'not a media type'],
  ])(
    'a signed body with %s reaches the handler and gets its answer',
    async (label, contentType) => {
      const before = calls();
      const body = lcBody('request', { action: 'echo', label });
      expect(await h.post('/everything', body, { contentType })).toEqual({
        status: 200,
        json: { success: true, data: { echo: body.data, jwt: 'jwt-of-org-1', mid: body.mid } },
      });
      expect(calls()).toBe(before + 1);
    },
  );

  it.each(['text/plain; charset=iso-8859-1', 'application/json; charset=utf-16'])(
    'reads the signed bytes as UTF-8 whatever charset is named: %s',
    async (contentType) => {
      const body = lcBody('request', { action: 'echo', label: 'café ü 😀' });
      // Non-ASCII as raw UTF-8 bytes (not \u escapes), signed as sent.
      const answer = await h.post('/everything', body, { raw: JSON.stringify(body), contentType });
      expect(answer).toEqual({
        status: 200,
        json: { success: true, data: { echo: body.data, jwt: 'jwt-of-org-1', mid: body.mid } },
      });
    },
  );

  it('keeps the signature (401 first), JSON (400), size (413) and method (405) checks', async () => {
    const before = calls();
    const body = lcBody('request', { action: 'echo' });
    const unsigned = { status: 401, json: { error: 'missing or bad lc-svc-sig signature' } };
    for (const contentType of ['text/plain', null]) {
      expect(await h.post('/everything', body, { contentType, secret: 'not-the-secret' })).toEqual(
        unsigned,
      );
      expect(await h.post('/everything', body, { contentType, signature: null })).toEqual(unsigned);
      // Not JSON, unsigned: 401 before anything looks at the content.
      expect(
        await h.post('/everything', {}, { contentType, raw: 'not json', signature: null }),
      ).toEqual(unsigned);
      expect(await h.post('/everything', {}, { contentType, raw: 'not json' })).toEqual({
        status: 400,
        json: { error: 'body must be a JSON object' },
      });
      const big = lcBody('request', { action: 'echo', label: 'x'.repeat(70 * 1024) });
      expect(await h.post('/everything', big, { contentType })).toEqual({
        status: 413,
        json: { error: 'body larger than 65536 bytes' },
      });
      expect(await h.post('/everything', body, { contentType, method: 'PUT' })).toEqual({
        status: 405,
        json: { error: 'only POST is accepted' },
      });
    }
    expect(calls()).toBe(before);
  });
});

describe('callbacks', () => {
  it.each(Object.keys(HANDLER_ETYPES).filter((e) => e !== 'request'))(
    '%s reaches its handler method with the org, data and deadline',
    async (etype) => {
      const body = lcBody(etype, { sid: 'sensor-9', detail: 'x' });
      const { status, json: answer } = await h.post('/everything', body);
      expect(status).toBe(200);
      expect(answer).toEqual({
        success: true,
        data: { etype, oid: 'org-1', sid: 'sensor-9' },
      });
      const ctx = everything.seen.at(-1)!;
      expect(ctx).toMatchObject({
        etype,
        oid: 'org-1',
        jwt: 'jwt-of-org-1',
        mid: body.mid,
        serviceName: 'everything',
        data: { sid: 'sensor-9', detail: 'x' },
      });
      expect(Math.abs(ctx.deadline!.getTime() - body.deadline * 1000)).toBeLessThan(1);
    },
  );

  it('passes request data through and answers what the handler says', async () => {
    const body = lcBody('request', { action: 'echo', count: 3, flag: true, extra: [1] });
    expect((await h.post('/everything', body)).json).toEqual({
      success: true,
      data: { echo: body.data, jwt: 'jwt-of-org-1', mid: body.mid },
    });
  });

  it('answers not implemented for unknown etypes and unimplemented callbacks', async () => {
    const notImplemented = { success: false, retry: false, data: { error: 'not implemented' } };
    expect((await h.post('/everything', lcBody('no_such_thing'))).json).toEqual(notImplemented);
    const nothing = await h.post('/nothing', lcBody('org_install'), { secret: 'other-secret' });
    expect(nothing.json).toEqual(notImplemented);
    expect((await h.post('/everything', lcBody('request', { action: 'nope' }))).json).toEqual(
      notImplemented,
    );
  });

  it('refuses protocol versions above 1', async () => {
    expect((await h.post('/everything', lcBody('health', {}, { version: 2 }))).json).toEqual({
      success: false,
      retry: false,
      data: { error: 'unsupported version (> 1)' },
    });
  });

  it.each([
    [{}, 'missing parameter action'],
    [{ action: null }, 'missing parameter action'],
    [{ action: 'dance' }, 'invalid parameter action: enum has invalid value'],
    [{ action: 'echo', count: 'three' }, 'invalid parameter count: wrong data type'],
    [{ action: 'echo', count: 1.5 }, 'invalid parameter count: wrong data type'],
    [{ action: 'echo', flag: 'yes' }, 'invalid parameter flag: wrong data type'],
    [{ action: 'echo', label: 7 }, 'invalid parameter label: wrong data type'],
  ])('validates request parameters before the handler: %j', async (data, error) => {
    const before = calls();
    expect((await h.post('/everything', lcBody('request', data))).json).toEqual({
      success: false,
      retry: false,
      data: {},
      error,
    });
    expect(calls()).toBe(before);
  });
});

describe('a handler that misbehaves', () => {
  it('down: asks LimaCharlie to retry', async () => {
    const { status, json: answer } = await h.post('/down', lcBody('org_install'), {
      secret: 'down-secret',
    });
    expect(status).toBe(200);
    expect(answer).toEqual({
      success: false,
      retry: true,
      data: {},
      error: 'handler down is unavailable; try again shortly',
    });
    // The address and the connection error stay in the gateway's log (once per outage).
    expect(JSON.stringify(answer)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|UNAVAILABLE/);
  });

  it('slower than the deadline: answers retry at the deadline, not later', async () => {
    const body = lcBody('request', { action: 'slow' }, { deadline: Date.now() / 1000 + 1.5 });
    expect((await h.post('/everything', body)).json).toEqual({
      success: false,
      retry: true,
      data: {},
      error: 'handler everything did not answer before the deadline',
    });
  });

  it('past its deadline already: answers retry without calling', async () => {
    const before = calls();
    const body = lcBody('request', { action: 'echo' }, { deadline: Date.now() / 1000 - 1 });
    expect((await h.post('/everything', body)).json).toMatchObject({ success: false, retry: true });
    expect(calls()).toBe(before);
  });

  it('throwing: retry, with a short message and an error id, never the exception', async () => {
    const { json: answer } = await h.post('/everything', lcBody('request', { action: 'boom' }));
    const message = expect.stringMatching(ERROR_ID('handler everything failed'));
    expect(answer).toEqual({
      success: false,
      retry: true,
      data: { exception: message },
      error: message,
    });
    expect(answer.data.exception).toBe(answer.error);
    expect(JSON.stringify(answer)).not.toMatch(/boom|INTERNAL|Error:/);
  });
});

describe('framework answers', () => {
  it('health: version, start time, calls in progress and what the handler declares', async () => {
    const { json: answer } = await h.post('/everything', lcBody('health'));
    expect(answer).toEqual({
      success: true,
      data: {
        version: 1,
        start_time: Math.floor(everything.startTime.getTime() / 1000),
        calls_in_progress: 0,
        mtd: {
          detect_subscriptions: ['evil-process'],
          callbacks: Object.keys(HANDLER_ETYPES),
          request_params: {
            action: {
              type: 'enum',
              values: ACTIONS,
              is_required: true,
              desc: '',
            },
            count: { type: 'int', is_required: false, desc: 'how many' },
            flag: { type: 'bool', is_required: false, desc: '' },
            label: { type: 'str', is_required: false, desc: '' },
          },
        },
      },
    });
  });

  it('get_resource: one, one with data, a batch, and an unknown name', async () => {
    const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
    expect(
      (await h.post('/everything', lcBody('get_resource', { resource: 'rule-1' }))).json,
    ).toEqual({
      success: true,
      data: { hash: sha(RULE), res_cat: 'detect' },
    });
    const withData = await h.post(
      '/everything',
      lcBody('get_resource', { resource: 'blob', is_include_data: true }),
    );
    expect(withData.json.data).toEqual({
      hash: sha(BYTES),
      res_cat: 'lookup',
      res_data: BYTES.toString('base64'),
    });
    const batch = await h.post(
      '/everything',
      lcBody('get_resource', { resource: ['rule-1', 'blob'], is_include_data: true }),
    );
    expect(Object.keys(batch.json.data.resources)).toEqual(['rule-1', 'blob']);
    expect(Buffer.from(batch.json.data.resources['rule-1'].res_data, 'base64').toString()).toBe(
      RULE,
    );
    expect(
      (await h.post('/everything', lcBody('get_resource', { resource: 'nope' }))).json,
    ).toEqual({
      success: false,
      retry: false,
      data: { error: 'resource not available' },
    });
  });
});

describe('jobs', () => {
  it('stores a returned job in PostgreSQL and delivers it once, attachments byte-exact', async () => {
    const oid = 'org-jobs';
    const { json: answer } = await h.post(
      '/everything',
      lcBody('request', { action: 'job' }, { oid }),
    );
    expect(answer.success).toBe(true);
    expect(answer.jobs).toHaveLength(1);
    const [job] = answer.jobs;
    expect(job).toMatchObject({
      id: '11111111-2222-4333-8444-555555555555',
      cause: 'because the test asked',
      sid: ['sensor-a', 'sensor-b'],
    });
    expect(typeof job.start).toBe('number');
    expect(job.end).toBeGreaterThanOrEqual(job.start);
    expect(job.hist.map((e: any) => [e.msg, e.is_important])).toEqual([
      ['first', true],
      ['second', false],
    ]);
    expect(job.hist[0].attachments).toEqual([
      { att_type: 'hex_dump', caption: 'bytes', data: BYTES.toString('base64') },
    ]);
    expect(job.hist[1].attachments).toEqual([
      {
        att_type: 'table',
        caption: 't',
        headers: ['sid', 'n'],
        rows: [
          ['sensor-a', '1'],
          ['sensor-b', '2'],
        ],
      },
      { att_type: 'json', caption: 'j', data: pythonJsonDumps(JSON_DATA, { indent: 2 }) },
      // PyYAML's safe_dump(default_flow_style=False): sorted keys, list items at the key's indent.
      { att_type: 'yaml', caption: 'y', data: 'count: 2\nrules:\n- a\n- b\n' },
    ]);

    // Delivered: the next callback for the org carries nothing more.
    const again = await h.post('/everything', lcBody('org_per_1h', {}, { oid }));
    expect(again.json.jobs).toBeUndefined();
    // And it is in the store, as sent.
    const { job: stored } = await h.jobs.getJob({ jobId: job.id });
    expect(stored!.narration.map((e) => e.message)).toEqual(['first', 'second']);
    expect(stored!.endTime).toBeInstanceOf(Date);
  });

  it('delivers jobs a handler created through the Jobs service, then only what changed', async () => {
    const oid = 'org-async';
    const { job } = await h.jobs.createJob({
      id: '',
      oid,
      serviceName: 'everything',
      cause: 'async work',
      sensorIds: ['s1'],
    });
    await h.jobs.narrateJob({
      jobId: job!.id,
      message: 'started',
      attachments: [],
      important: false,
    });
    // The gateway learns of the change from the Jobs service's feed, within moments.
    const first = await postUntilJobs(oid);
    expect(first.json.jobs).toEqual([
      {
        id: job!.id,
        start: job!.startTime!.getTime(),
        cause: 'async work',
        sid: ['s1'],
        hist: [expect.objectContaining({ msg: 'started', attachments: [], is_important: false })],
      },
    ]);
    // Another org's callbacks do not carry it.
    expect(
      (await h.post('/everything', lcBody('org_per_1h', {}, { oid: 'other' }))).json.jobs,
    ).toBeUndefined();

    await h.jobs.narrateJob({ jobId: job!.id, message: 'done', attachments: [], important: true });
    await h.jobs.closeJob({ jobId: job!.id });
    const second = await postUntilJobs(oid);
    expect(second.json.jobs).toEqual([
      {
        id: job!.id,
        hist: [expect.objectContaining({ msg: 'done', is_important: true })],
        end: expect.any(Number),
      },
    ]);
  });

  it('delivers a later cause and sensor change: the new cause and the whole sid list', async () => {
    const oid = 'org-change';
    const { job } = await h.jobs.createJob({
      id: '',
      oid,
      serviceName: 'everything',
      cause: 'first cause',
      sensorIds: ['s1'],
    });
    const first = await postUntilJobs(oid);
    expect(first.json.jobs).toEqual([
      { id: job!.id, start: job!.startTime!.getTime(), cause: 'first cause', sid: ['s1'] },
    ]);
    await h.jobs.setJobCause({ jobId: job!.id, cause: 'second cause' });
    const cause = await postUntilJobs(oid);
    expect(cause.json.jobs).toEqual([{ id: job!.id, cause: 'second cause' }]);
    await h.jobs.addJobSensor({ jobId: job!.id, sensorId: 's2' });
    const sensors = await postUntilJobs(oid);
    expect(sensors.json.jobs).toEqual([{ id: job!.id, sid: ['s1', 's2'] }]);
    expect(
      (await h.post('/everything', lcBody('org_per_1h', {}, { oid }))).json.jobs,
    ).toBeUndefined();
  });

  it('a job object returned again adds only its new entries', async () => {
    const oid = 'org-again';
    const body = () => lcBody('request', { action: 'again' }, { oid });
    const one = (await h.post('/everything', body())).json;
    expect(one.jobs.map((j: any) => j.hist.map((e: any) => e.msg))).toEqual([['call 1']]);
    const two = (await h.post('/everything', body())).json;
    expect(two.jobs).toEqual([
      { id: one.jobs[0].id, hist: [expect.objectContaining({ msg: 'call 2' })] },
    ]);
    const { job } = await h.jobs.getJob({ jobId: one.jobs[0].id });
    expect(job!.narration.map((e) => e.message)).toEqual(['call 1', 'call 2']);
  });

  it('jobs the Jobs service refuses: failure without retry, saying why; nothing stored', async () => {
    const { json: answer } = await h.post(
      '/everything',
      lcBody('request', { action: 'orphan' }, { oid: 'org-orphan' }),
    );
    expect(answer).toEqual({
      success: false,
      retry: false,
      data: {},
      error:
        'the jobs of handler everything were refused: updates[0].cause: is required for a new job',
    });
    await expect(h.jobs.getJob({ jobId: ORPHAN_ID })).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
  });

  it('a new job without a cause fails in the handler (the SDK refuses it): retry', async () => {
    const { json: answer } = await h.post(
      '/everything',
      lcBody('request', { action: 'causeless' }, { oid: 'org-causeless' }),
    );
    expect(answer).toMatchObject({ success: false, retry: true });
    expect(answer.error).toMatch(ERROR_ID('handler everything failed'));
    const listed = await h.jobs.listJobs({
      oid: 'org-causeless',
      state: 0,
      pageSize: 0,
      pageToken: '',
    });
    expect(listed.jobs).toEqual([]);
  });
});
