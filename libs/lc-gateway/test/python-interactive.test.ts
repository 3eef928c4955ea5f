import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LcCloudStandin, newOid } from '@checkwire/lc-cloud-standin';
import { lcBody, startGateway, type GatewayHarness } from './harness.js';

// lcservice's InteractiveService example in Python (test/fixtures/interactive_service.py, only its
// imports changed), served by clients/python/checkwire-lc behind the real gateway, Jobs server and
// PostgreSQL, with the stand-in of LimaCharlie's cloud: the callback's answer tasks a sensor, the
// stand-in receives the task with lcservice's investigation id, and the sensor's reply, sent as a
// signed detection, reaches the Python reply callback with its job and context.

const root = join(import.meta.dirname, '..', '..', '..');
const PYTHON = '/usr/bin/python3';
const SECRET = 'packages-secret';
const HANDLER_TOKEN = 'python-interactive-token';
const RULE = 'svc-packages-ex';
/** lcservice's key: md5 of "%s/%s" % (secret as bytes, name), i.e. of "b'<secret>'/<name>". */
const key = (name: string) =>
  createHash('md5').update(`b'${SECRET}'/${name}`).digest('hex').slice(0, 8);
const ALL_PERMS = ['sensor.task', 'dr.set.replicant', 'dr.del.replicant'];

let python: ChildProcess;
let cloud: LcCloudStandin;
let h: GatewayHarness;
let oid: string;
let sid: string;
let jwt: string;

beforeAll(async () => {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: apt-get install python3-grpcio`);
  python = spawn(PYTHON, [join(import.meta.dirname, 'fixtures', 'interactive_service.py')], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      PYTHONPATH: join(root, 'clients', 'python', 'checkwire-lc', 'src'),
      PYTHONDONTWRITEBYTECODE: '1',
      LC_HANDLER_TOKEN: HANDLER_TOKEN,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const address = await new Promise<string>((resolve, reject) => {
    createInterface({ input: python.stdout! }).on('line', (line) => {
      const m = /^packages listening on (\S+)$/.exec(line);
      if (m) resolve(m[1]!);
    });
    python.on('exit', (code) => reject(new Error(`the python handler exited (${code})`)));
  });
  cloud = await LcCloudStandin.start();
  oid = newOid();
  sid = cloud.addSensor(oid);
  jwt = cloud.issueJwt({ oid, perms: ALL_PERMS });
  h = await startGateway(
    [],
    () => [{ name: 'packages', secret: SECRET, handler: address, token: HANDLER_TOKEN }],
    { lcApi: { baseUrl: cloud.url } },
  );
});
afterAll(async () => {
  await h?.stop();
  await cloud?.close();
  if (python?.exitCode === null) python.kill('SIGKILL');
});

/** The detection LimaCharlie sends when the sensor answers a task (the rule's report). */
const reply = (investigationId: string, event: Record<string, unknown>) =>
  lcBody(
    'detection',
    {
      cat: `__${RULE}`,
      detect: {
        routing: { oid, sid, event_type: 'OS_PACKAGES_REP', investigation_id: investigationId },
        event,
      },
    },
    { oid, jwt },
  );

describe('a Python InteractiveService behind the gateway', () => {
  it('declares itself interactive: health shows its rule subscription and hooked callbacks', async () => {
    const { json } = await h.post('/packages', lcBody('health'));
    expect(json.data.mtd.detect_subscriptions).toEqual([`__${RULE}`]);
    expect([...json.data.mtd.callbacks].sort()).toEqual(
      ['detection', 'org_install', 'org_per_1h', 'org_uninstall', 'request'].sort(),
    );
  });

  it('tasks a sensor from its answer, and the reply reaches its callback with job and context', async () => {
    const asked = await h.post(
      '/packages',
      lcBody('request', { sid, ctx: 'ticket/42' }, { oid, jwt }),
    );
    expect(asked.status).toBe(200);
    expect(asked.json.success).toBe(true);
    const jobId: string = asked.json.jobs[0].id;
    expect(asked.json.jobs[0]).toMatchObject({ cause: 'Starting package listing.', sid: [sid] });
    const investigationId = `${RULE}/${key('processPackages')}/${jobId}/ticket/42`;
    expect(cloud.tasks).toEqual([
      { oid, sid, tasks: ['os_packages'], investigationId, idempotentKey: undefined },
    ]);
    expect(cloud.requests.at(-1)?.authorization).toBe(`Bearer ${jwt}`);

    const event = { PACKAGES: [{ NAME: 'openssl', VERSION: '3.0.11' }], COUNT: 1 };
    const answered = await h.post('/packages', reply(investigationId, event));
    expect(answered.json).toMatchObject({
      success: true,
      data: { reply: 'processPackages', ctx: 'ticket/42' },
    });
    const detect = {
      routing: { oid, sid, event_type: 'OS_PACKAGES_REP', investigation_id: investigationId },
      event,
    };
    expect(answered.json.jobs).toEqual([
      {
        id: jobId,
        end: expect.any(Number),
        hist: [
          expect.objectContaining({
            msg: 'Our context was: ticket/42.',
            attachments: [{ att_type: 'json', caption: 'reply', data: expect.any(String) }],
          }),
        ],
      },
    ]);
    // The event the callback was given, as lcservice hands it over: the detection's detect (its
    // keys in any order: it crossed gRPC as a protobuf Struct, a map).
    expect(JSON.parse(answered.json.jobs[0].hist[0].attachments[0].data)).toEqual(detect);
    // Written to the job the task named, in the store.
    const { job: stored } = await h.jobs.getJob({ jobId });
    expect(stored!.narration.map((e) => e.message)).toEqual(['Our context was: ticket/42.']);
    expect(stored!.endTime).toBeInstanceOf(Date);
    expect(stored!.sensorIds).toEqual([sid]);
  });

  it('lets a reply callback task the sensor again, with the same job', async () => {
    const asked = await h.post('/packages', lcBody('request', { sid, ctx: 'again' }, { oid, jwt }));
    const jobId: string = asked.json.jobs[0].id;
    const first = cloud.tasks.at(-1)!.investigationId!;
    expect(first).toBe(`${RULE}/${key('processPackages')}/${jobId}/again`);

    const tasked = cloud.tasks.length;
    const answered = await h.post('/packages', reply(first, { PACKAGES: [] }));
    expect(answered.json.success).toBe(true);
    expect(cloud.tasks.slice(tasked)).toEqual([
      {
        oid,
        sid,
        tasks: ['os_services'],
        investigationId: `${RULE}/${key('processServices')}/${jobId}/services`,
        idempotentKey: undefined,
      },
    ]);
    const second = await h.post(
      '/packages',
      reply(`${RULE}/${key('processServices')}/${jobId}/services`, {}),
    );
    expect(second.json.jobs).toEqual([
      {
        id: jobId,
        end: expect.any(Number),
        hist: [expect.objectContaining({ msg: 'services: services' })],
      },
    ]);
  });

  it('passes a reply without a job as None, and ordinary detections to onDetection', async () => {
    const noJob = await h.post('/packages', reply(`${RULE}/${key('processPackages')}//x`, {}));
    expect(noJob.json).toEqual({
      success: true,
      data: { reply: 'processPackages', ctx: 'x', job: null },
    });
    const ordinary = await h.post(
      '/packages',
      lcBody('detection', { cat: 'suspicious', detect: { routing: { sid } } }, { oid, jwt }),
    );
    expect(ordinary.json).toEqual({ success: true, data: { ordinary: 'suspicious' } });
  });

  it('answers a key of a method that is not a reply callback as lcservice: failure, no retry', async () => {
    const tasked = cloud.tasks.length;
    for (const name of ['onRequest', 'onDetection', 'response']) {
      const answer = await h.post('/packages', reply(`${RULE}/${key(name)}/job/x`, {}));
      expect(answer.json).toEqual({ success: false, retry: false, data: {} });
    }
    expect(cloud.tasks).toHaveLength(tasked);
  });

  it('fails the answer, sending nothing, when the callback names a sensor of another org', async () => {
    const tasked = cloud.tasks.length;
    const other = cloud.addSensor(newOid());
    const asked = await h.post('/packages', lcBody('request', { sid: other }, { oid, jwt }));
    expect(asked.json.success).toBe(false);
    expect(asked.json.retry).toBe(false);
    expect(asked.json.error).toMatch(
      /^task 0 of handler packages failed: LimaCharlie API: task sensor /,
    );
    expect(cloud.tasks).toHaveLength(tasked);
  });

  it('has its D&R rule pushed on org_install by the gateway (lcservice did it in the service)', async () => {
    const org = newOid();
    const orgJwt = cloud.issueJwt({ oid: org, perms: ALL_PERMS });
    const installed = await h.post(
      '/packages',
      lcBody('org_install', {}, { oid: org, jwt: orgJwt }),
    );
    expect(installed.json).toEqual({ success: true, data: {} });
    expect(cloud.rules(org, 'replicant').get(RULE)?.respond).toEqual([
      { action: 'report', name: `__${RULE}` },
    ]);
  });
});
