import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGrpcServer } from '@checkwire/grpc';
import { LcCloudStandin, newOid } from '@checkwire/lc-cloud-standin';
import {
  InteractiveService,
  Job,
  response,
  serveLcService,
  type CallbackContext,
  type ReplyContext,
} from '@checkwire/lc-sdk';
import {
  createTestDatabase,
  startLcGatewayProcess,
  type LcGatewayProcess,
  type TestDatabase,
} from '@checkwire/testing';
import { UsageError } from '../src/options.js';
import { replyDetection } from '../src/reply-detection.js';
import { readGivenId, replyEventType, REPLY_USAGE, serviceOf } from '../src/reply-options.js';

// `lc-sim reply` against the real gateway (its own process), an InteractiveService served by the
// SDK, and the stand-in of LimaCharlie's cloud: a request tasks a sensor, the stand-in records the
// task, and lc-sim plays the sensor's reply from what the stand-in recorded.

const root = join(import.meta.dirname, '..', '..', '..');
const SECRET = 'triage-secret';
const RULE = 'svc-triage-ex';
const key = (name: string) =>
  createHash('md5').update(`b'${SECRET}'/${name}`).digest('hex').slice(0, 8);

/** Runs `lc-sim reply ARGS`; its exit code, stdout and stderr (a failing run does not throw). */
async function reply(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'tools/lc-simulator/src/main.ts', 'reply', ...args],
      { cwd: root },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

interface Reply {
  job: string | undefined;
  context: string;
  event: Record<string, unknown>;
  oid: string;
  jwt: string;
}

class Triage extends InteractiveService {
  readonly replies: Reply[] = [];
  constructor() {
    super('triage');
    this.replyCallback('processes', (ctx: ReplyContext) => {
      this.replies.push({
        job: ctx.job?.id,
        context: ctx.context,
        event: ctx.event,
        oid: ctx.oid,
        jwt: ctx.jwt,
      });
      if (ctx.job === undefined) return true;
      return response({ jobs: [ctx.job.narrate(`reply for ${ctx.context}`).close()] });
    });
  }
  override onRequest(ctx: CallbackContext) {
    const sid = String(ctx.data.sid);
    const job = new Job('triage requested').addSensor(sid);
    const context = typeof ctx.data.context === 'string' ? ctx.data.context : '';
    ctx.task(sid, ['os_processes'], 'processes', context, job);
    return response({ jobs: [job.narrate('tasked')] });
  }
}

describe('lc-sim reply, piece by piece', () => {
  const id = `${RULE}/0a1b2c3d/job-1/c/1`;

  it('reads the id bare, URL-encoded as the task sent it, or as the stand-in records a task', () => {
    expect(readGivenId(id)).toEqual({ id });
    expect(readGivenId(`investigation_id=${encodeURIComponent(id)}`)).toEqual({ id });
    expect(readGivenId(encodeURIComponent(id))).toEqual({ id });
    const task = { oid: 'o', sid: 's', tasks: ['os_processes'], investigationId: id };
    expect(readGivenId(JSON.stringify(task))).toEqual({
      id,
      oid: 'o',
      sid: 's',
      tasks: ['os_processes'],
    });
    expect(() => readGivenId('{"sid": "s"}')).toThrow(
      new UsageError('--investigation-id: a task recorded by the stand-in has "investigationId"'),
    );
    expect(() => readGivenId('{oops')).toThrow(UsageError);
  });

  it('takes the service from the id, refusing what an InteractiveService never makes', () => {
    expect(serviceOf(id)).toBe('triage');
    expect(serviceOf('svc-a-b-ex/k//')).toBe('a-b');
    for (const bad of [`${RULE}/key/job`, 'svc--ex/k/j/c', 'other/k/j/c', '']) {
      expect(() => serviceOf(bad)).toThrow(UsageError);
    }
  });

  it("names the reply event after the task's command, as LimaCharlie does", () => {
    expect(replyEventType('os_processes')).toBe('OS_PROCESSES_REP');
    expect(replyEventType('  file_get --path /etc/hosts')).toBe('FILE_GET_REP');
    expect(replyEventType('')).toBeUndefined();
  });

  it('builds the detection the rule reports, the id in detect.routing', () => {
    const event = { PROCESSES: [] };
    const data = replyDetection(
      { serviceName: 'triage', investigationId: id, oid: 'o', sid: 's', eventType: 'X_REP', event },
      1_700_000_000_000,
    );
    const routing = {
      oid: 'o',
      sid: 's',
      event_type: 'X_REP',
      event_time: 1_700_000_000_000,
      event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      investigation_id: id,
    };
    expect(data).toEqual({
      cat: `__${RULE}`,
      detect: { event, routing },
      detect_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      routing,
    });
  });
});

describe('lc-sim reply against the gateway, a handler and the LC cloud stand-in', () => {
  const triage = new Triage();
  let database: TestDatabase;
  let handler: RunningGrpcServer;
  let cloud: LcCloudStandin;
  let gateway: LcGatewayProcess;
  let oid: string;
  let sid: string;
  let jwt: string;
  let scratch: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    cloud = await LcCloudStandin.start();
    oid = newOid();
    sid = cloud.addSensor(oid);
    jwt = cloud.issueJwt({ oid, perms: ['sensor.task', 'dr.set.replicant', 'dr.del.replicant'] });
    handler = await serveLcService(triage);
    gateway = await startLcGatewayProcess(
      database.url,
      [{ name: 'triage', secret: SECRET, handler: handler.address }],
      { LC_API_URL: cloud.url },
    );
    scratch = mkdtempSync(join(tmpdir(), 'lc-sim-reply-'));
  });
  afterAll(async () => {
    await gateway?.stop();
    await handler?.shutdown(100);
    await cloud?.close();
    await database?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Asks the handler to task the sensor; the task as the stand-in recorded it. */
  async function taskedFor(context: string) {
    const body = {
      version: 1,
      etype: 'request',
      oid,
      jwt,
      mid: '9a1b9f5e-4c1e-4a57-8f2b-000000000001',
      deadline: Date.now() / 1000 + 60,
      data: { sid, context },
    };
    const { json } = await gateway.post('triage', body);
    expect(json).toMatchObject({ success: true });
    const task = cloud.tasks.at(-1)!;
    const jobId = (json as { jobs: { id: string }[] }).jobs[0]!.id;
    expect(task.investigationId).toBe(`${RULE}/${key('processes')}/${jobId}/${context}`);
    return { task, jobId };
  }

  it('plays the reply from the task the stand-in recorded: the reply callback gets it', async () => {
    const { task, jobId } = await taskedFor('case/7');
    const run = await reply(
      '--url',
      gateway.url,
      '--secret',
      SECRET,
      '--investigation-id',
      JSON.stringify(task),
      '--jwt',
      jwt,
      '--event',
      '{"PROCESSES": [{"FILE_PATH": "/bin/sh", "PROCESS_ID": 42}]}',
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^HTTP 200: success\njob /);
    expect(run.stdout).toContain(`job ${jobId}`);
    expect(run.stdout).toContain('reply for case/7');
    expect(run.code).toBe(0);
    const got = triage.replies.at(-1)!;
    expect(got).toEqual({
      job: jobId,
      context: 'case/7',
      oid,
      jwt,
      event: {
        event: { PROCESSES: [{ FILE_PATH: '/bin/sh', PROCESS_ID: 42 }] },
        routing: {
          oid,
          sid,
          event_type: 'OS_PROCESSES_REP',
          event_time: expect.any(Number),
          event_id: expect.any(String),
          investigation_id: task.investigationId,
        },
      },
    });
  });

  it('takes a bare or URL-encoded id with --sid and --oid, and the event from a file', async () => {
    const { task, jobId } = await taskedFor('bare');
    const file = join(scratch, 'event.json');
    writeFileSync(file, '{"PROCESSES": []}');
    const forms = [
      task.investigationId!,
      `investigation_id=${encodeURIComponent(task.investigationId!)}`,
    ];
    for (const form of forms) {
      const before = triage.replies.length;
      const run = await reply(
        '--url',
        `${gateway.url}/triage`,
        '--secret',
        SECRET,
        '--investigation-id',
        form,
        '--sid',
        sid,
        '--oid',
        oid,
        '--event-type',
        'OS_PROCESSES_REP',
        '--event-file',
        file,
        '--json',
      );
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ success: true, jobs: [{ id: jobId }] });
      expect(triage.replies.slice(before)).toEqual([
        expect.objectContaining({
          job: jobId,
          context: 'bare',
          oid,
          event: expect.objectContaining({ event: { PROCESSES: [] } }),
        }),
      ]);
    }
  });

  it('shows the gateway refusing an id of another secret: failure without retry, exit code 1', async () => {
    const before = triage.replies.length;
    const forged = `${RULE}/${createHash('md5').update("b'other'/processes").digest('hex').slice(0, 8)}/j/x`;
    const run = await reply(
      '--url',
      gateway.url,
      '--secret',
      SECRET,
      '--investigation-id',
      forged,
      '--sid',
      sid,
      '--event-type',
      'OS_PROCESSES_REP',
    );
    expect(run).toEqual({ code: 1, stdout: 'HTTP 200: failure (no retry)\n', stderr: '' });
    expect(triage.replies).toHaveLength(before);
  });

  it('refuses what it cannot send in one line, exit code 2, sending nothing', async () => {
    const before = triage.replies.length;
    const requests = cloud.requests.length;
    const id = `${RULE}/${key('processes')}//x`;
    const base = ['--url', gateway.url, '--secret', SECRET];
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, '{"PROCESSES": [');
    const list = join(scratch, 'list.json');
    writeFileSync(list, '[1]');
    const cases: [string[], string][] = [
      [
        [...base, '--investigation-id', id],
        `lc-sim reply: missing --sid (the sensor that replies), or give the task as recorded\n${REPLY_USAGE}\n`,
      ],
      [
        [...base, '--investigation-id', id, '--sid', sid],
        `lc-sim reply: missing --event-type (the reply event, e.g. OS_PROCESSES_REP)\n${REPLY_USAGE}\n`,
      ],
      [
        [...base, '--investigation-id', `${RULE}/k/j`, '--sid', sid],
        `lc-sim reply: --investigation-id: "${RULE}/k/j" is not svc-<service>-ex/<key>/<job id>/<context>\n${REPLY_USAGE}\n`,
      ],
      [
        ['--secret', SECRET, '--sid', sid],
        `lc-sim reply: missing --url, --investigation-id\n${REPLY_USAGE}\n`,
      ],
      [
        [...base, '--investigation-id', id, '--sid', sid, '--event-type', 'X', '--event', '[1]'],
        '--event must be a JSON object (the reply event, e.g. {"PROCESSES": []})\n',
      ],
      [
        [...base, '--investigation-id', id, '--sid', sid, '--event-type', 'X', '--event', '{'],
        expect.stringMatching(/^--event is not JSON: /),
      ],
      [
        [
          ...base,
          '--investigation-id',
          id,
          '--sid',
          sid,
          '--event-type',
          'X',
          '--event-file',
          '/nonexistent/e.json',
        ],
        '--event-file: cannot read /nonexistent/e.json (ENOENT)\n',
      ],
      [
        [...base, '--investigation-id', id, '--sid', sid, '--event-type', 'X', '--event-file', bad],
        expect.stringMatching(/^--event-file is not JSON: /),
      ],
      [
        [
          ...base,
          '--investigation-id',
          id,
          '--sid',
          sid,
          '--event-type',
          'X',
          '--event-file',
          list,
        ],
        '--event-file must be a JSON object (the reply event, e.g. {"PROCESSES": []})\n',
      ],
      [
        [
          ...base,
          '--investigation-id',
          id,
          '--sid',
          sid,
          '--event-type',
          'X',
          '--deadline',
          'soon',
        ],
        '--deadline must be a number of seconds, got "soon"\n',
      ],
    ];
    for (const [args, stderr] of cases) {
      expect(await reply(...args)).toEqual({ code: 2, stdout: '', stderr });
    }
    expect(triage.replies).toHaveLength(before);
    expect(cloud.requests).toHaveLength(requests);
  });

  it('prints its usage for --help, and the main usage points to it', async () => {
    expect(await reply('--help')).toEqual({ code: 0, stdout: `${REPLY_USAGE}\n`, stderr: '' });
    expect(REPLY_USAGE).toMatch(/^usage: npm run lc-sim -- reply --url URL --secret SECRET /);
  });
});
