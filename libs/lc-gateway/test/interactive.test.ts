import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LcApiClient } from '@checkwire/lc-api';
import { LcCloudStandin, newOid } from '@checkwire/lc-cloud-standin';
import {
  InteractiveService,
  Job,
  response,
  type CallbackContext,
  type ReplyContext,
} from '@checkwire/lc-sdk';
import { lcBody, startGateway, type GatewayHarness } from './harness.js';

// lcservice's InteractiveService through the real gateway, a real SDK handler and the stand-in of
// LimaCharlie's cloud: a task goes out with its investigation id, the sensor's reply comes back as
// a signed detection and reaches the reply callback with its job and context; the D&R rule is
// pushed and deleted; forged ids are answered as lcservice answers them.

const SECRET = 'interactive-secret';
const RULE = 'svc-triage-ex';
/** lcservice's key: md5 of "%s/%s" % (secret as bytes, name), i.e. of "b'<secret>'/<name>". */
const key = (name: string) =>
  createHash('md5').update(`b'${SECRET}'/${name}`).digest('hex').slice(0, 8);

interface Reply {
  job: string | undefined;
  context: string;
  event: Record<string, unknown>;
}

class Triage extends InteractiveService {
  readonly replies: Reply[] = [];
  readonly plain: Record<string, unknown>[] = [];
  constructor() {
    super('triage');
    this.replyCallback('processes', (ctx: ReplyContext) => {
      this.replies.push({ job: ctx.job?.id, context: ctx.context, event: ctx.event });
      if (ctx.job === undefined) return true;
      return response({ jobs: [ctx.job.narrate(`reply for ${ctx.context}`)] });
    });
  }
  override onRequest(ctx: CallbackContext) {
    const sid = String(ctx.data.sid);
    const job = new Job('triage requested').addSensor(sid);
    const context = typeof ctx.data.context === 'string' ? ctx.data.context : '';
    ctx.task(sid, ['os_processes'], 'processes', context, job);
    return response({ jobs: [job.narrate('tasked')] });
  }
  override onDetection(ctx: CallbackContext) {
    this.plain.push(ctx.data);
    return true;
  }
}

const ALL_PERMS = ['sensor.task', 'dr.set.replicant', 'dr.del.replicant'];
const triage = new Triage();
let cloud: LcCloudStandin;
let h: GatewayHarness;
let oid: string;
let sid: string;
let jwt: string;

beforeAll(async () => {
  cloud = await LcCloudStandin.start();
  oid = newOid();
  sid = cloud.addSensor(oid);
  jwt = cloud.issueJwt({ oid, perms: ALL_PERMS });
  h = await startGateway([triage], ([a]) => [{ name: 'triage', secret: SECRET, handler: a! }], {
    lcApi: { baseUrl: cloud.url },
  });
});
afterAll(async () => {
  await h.stop();
  await cloud.close();
});

const detection = (investigationId: string | undefined, extra: Record<string, unknown> = {}) =>
  lcBody(
    'detection',
    {
      cat: `__${RULE}`,
      detect: {
        routing: { sid, event_type: 'OS_PROCESSES_REP', investigation_id: investigationId },
        event: { PROCESSES: [{ FILE_PATH: '/bin/sh' }] },
        ...extra,
      },
    },
    { oid, jwt },
  );

describe('an interactive service behind the gateway', () => {
  it('tasks a sensor and routes its reply to the callback with its job and context', async () => {
    const asked = await h.post('/triage', lcBody('request', { sid, context: 'c/1' }, { oid, jwt }));
    expect(asked.status).toBe(200);
    expect(asked.json.success).toBe(true);
    const jobId: string = asked.json.jobs[0].id;
    const investigationId = `${RULE}/${key('processes')}/${jobId}/c/1`;
    expect(cloud.tasks).toEqual([
      { oid, sid, tasks: ['os_processes'], investigationId, idempotentKey: undefined },
    ]);
    expect(cloud.requests.at(-1)?.authorization).toBe(`Bearer ${jwt}`);

    const reply = await h.post('/triage', detection(investigationId));
    expect(reply.json.success).toBe(true);
    expect(triage.replies).toEqual([
      {
        job: jobId,
        context: 'c/1',
        event: {
          routing: {
            sid,
            event_type: 'OS_PROCESSES_REP',
            investigation_id: investigationId,
          },
          event: { PROCESSES: [{ FILE_PATH: '/bin/sh' }] },
        },
      },
    ]);
    expect(triage.plain).toEqual([]);
    expect(reply.json.jobs).toEqual([
      { id: jobId, hist: [expect.objectContaining({ msg: 'reply for c/1' })] },
    ]);
  });

  it('passes a reply without a job, and other detections to onDetection', async () => {
    triage.replies.length = 0;
    const noJob = await h.post('/triage', detection(`${RULE}/${key('processes')}//x`));
    expect(noJob.json).toEqual({ success: true, data: {} });
    expect(triage.replies.map((r) => [r.job, r.context])).toEqual([[undefined, 'x']]);
    const plain = await h.post('/triage', detection(undefined));
    expect(plain.json).toEqual({ success: true, data: {} });
    expect(triage.plain).toHaveLength(1);
  });

  it('answers a forged or unknown callback key as lcservice: failure, no retry', async () => {
    triage.replies.length = 0;
    triage.plain.length = 0;
    const forged = [
      `${RULE}/00000000/job/x`,
      // The key of another name, and the key made without the secret.
      `${RULE}/${key('onRequest')}/job/x`,
      `${RULE}/${createHash('md5').update('/processes').digest('hex').slice(0, 8)}/job/x`,
      // The key made of the secret as text, not as Python's bytes rendering.
      `${RULE}/${createHash('md5').update(`${SECRET}/processes`).digest('hex').slice(0, 8)}/job/x`,
    ];
    for (const id of forged) {
      const answer = await h.post('/triage', detection(id));
      expect(answer.json).toEqual({ success: false, retry: false, data: {} });
    }
    expect(triage.replies).toEqual([]);
    expect(triage.plain).toEqual([]);
  });

  it('answers an id of fewer than four parts as lcservice answers its exception: a retry', async () => {
    const answer = await h.post('/triage', detection(`${RULE}/${key('processes')}/job`));
    expect(answer.json).toEqual({
      success: false,
      retry: true,
      error: expect.stringMatching(/^malformed investigation id \(error id [0-9a-f-]{36}\)$/),
      data: { exception: answer.json.error },
    });
    expect(triage.replies).toEqual([]);
  });

  it('says in health that it subscribes to its rule and hooks the interactive callbacks', async () => {
    const health = await h.post('/triage', lcBody('health'));
    expect(health.json.data.mtd.detect_subscriptions).toEqual([`__${RULE}`]);
    expect([...health.json.data.mtd.callbacks].sort()).toEqual(
      ['detection', 'org_install', 'org_per_1h', 'org_uninstall', 'request'].sort(),
    );
  });

  it('fails the answer when a task cannot be sent (a sensor of another org)', async () => {
    const tasked = cloud.tasks.length;
    const other = cloud.addSensor(newOid());
    const asked = await h.post('/triage', lcBody('request', { sid: other }, { oid, jwt }));
    expect(asked.json.success).toBe(false);
    expect(asked.json.retry).toBe(false);
    expect(asked.json.error).toMatch(
      /^task 0 of handler triage failed: LimaCharlie API: task sensor /,
    );
    expect(asked.json.error).toContain('HTTP 404');
    expect(cloud.tasks).toHaveLength(tasked);
  });
});

describe('the D&R rule of an interactive service', () => {
  // An org of its own: the answers carry no job changes of the tests above.
  const org = newOid();
  const rule = () => cloud.rules(org, 'replicant').get(RULE);
  const orgJwt = () => cloud.issueJwt({ oid: org, perms: ALL_PERMS });

  it('is pushed on org_install, again every org_per_1h, and deleted on org_uninstall', async () => {
    const installed = await h.post(
      '/triage',
      lcBody('org_install', {}, { oid: org, jwt: orgJwt() }),
    );
    expect(installed.json).toEqual({ success: true, data: {} });
    expect(rule()).toEqual({
      name: RULE,
      namespace: 'replicant',
      isEnabled: true,
      detect: {
        op: 'and',
        rules: [
          { op: 'starts with', path: 'routing/investigation_id', value: RULE },
          { op: 'is', not: true, path: 'routing/event_type', value: 'CLOUD_NOTIFICATION' },
        ],
      },
      respond: [{ action: 'report', name: `__${RULE}` }],
    });

    // Someone deletes it: the hourly callback puts it back.
    await new LcApiClient({ baseUrl: cloud.url }).deleteRule({
      oid: org,
      jwt: orgJwt(),
      name: RULE,
      namespace: 'replicant',
    });
    expect(rule()).toBeUndefined();
    const hourly = await h.post('/triage', lcBody('org_per_1h', {}, { oid: org, jwt: orgJwt() }));
    expect(hourly.json).toEqual({ success: true, data: {} });
    expect(rule()?.name).toBe(RULE);

    const uninstalled = await h.post(
      '/triage',
      lcBody('org_uninstall', {}, { oid: org, jwt: orgJwt() }),
    );
    expect(uninstalled.json).toEqual({ success: true, data: {} });
    expect(rule()).toBeUndefined();
    // Already gone: lcservice only logs a failed delete.
    const again = await h.post('/triage', lcBody('org_uninstall', {}, { oid: org, jwt: orgJwt() }));
    expect(again.json).toEqual({ success: true, data: {} });
  });

  it('retries the install when the rule cannot be pushed (no dr.set.replicant)', async () => {
    const weak = cloud.issueJwt({ oid: org, perms: ['sensor.task'] });
    const installed = await h.post('/triage', lcBody('org_install', {}, { oid: org, jwt: weak }));
    expect(installed.json.success).toBe(false);
    expect(installed.json.retry).toBe(true);
    expect(installed.json.error).toMatch(/^the D&R rule of triage was not pushed: /);
    expect(installed.json.error).toContain('dr.set.replicant');
    expect(installed.json.error).not.toContain(weak);
    expect(rule()).toBeUndefined();
  });
});
