import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator, TokenAdministration } from '@checkwire/auth';
import { connectDatabase } from '@checkwire/db';
import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import { JobsServiceService, JobState, type WatchJobResponse } from '@checkwire/proto';
import { createTestDatabase, type TestDatabase } from '@checkwire/testing';
import { JobsApp } from '../src/index.js';

let database: TestDatabase;
let app: JobsApp;
let jobs: PromiseClient<typeof JobsServiceService>;
let red: PromiseClient<typeof JobsServiceService>;

async function grpcError(call: Promise<unknown>) {
  try {
    await call;
  } catch (err) {
    const e = err as { code: number; details: string };
    return { code: e.code, details: e.details };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await JobsApp.start({ databaseUrl: database.url });
  const handle = connectDatabase({ connectionString: database.url, maxConnections: 1 });
  const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
  const runner = (await tokens.create({ name: 'handler', role: 'check_runner' })).secret;
  const redToken = (await tokens.create({ name: 'red', role: 'red' })).secret;
  await handle.close();
  jobs = createPromiseClient(JobsServiceService, app.address, { token: runner });
  red = createPromiseClient(JobsServiceService, app.address, { token: redToken });
});
afterAll(async () => {
  jobs.close();
  red.close();
  await app.stop();
  await database.drop();
});

const newJob = (oid = 'org', cause = 'c') =>
  jobs.createJob({ id: '', oid, serviceName: 'svc', cause, sensorIds: [] }).then((r) => r.job!);

describe('JobsService', () => {
  it('is for admin and check_runner tokens only', async () => {
    expect(
      await grpcError(red.listJobs({ oid: '', state: 0, pageSize: 0, pageToken: '' })),
    ).toEqual({
      code: status.PERMISSION_DENIED,
      details: 'a red token may not call JobsService.ListJobs; it needs admin or check_runner',
    });
    const anonymous = createPromiseClient(JobsServiceService, app.address);
    expect((await grpcError(anonymous.getJob({ jobId: '' }))).code).toBe(status.UNAUTHENTICATED);
    anonymous.close();
  });

  it('creates, narrates, adds sensors, sets the cause and closes; a closed job takes no more', async () => {
    const job = await newJob();
    expect(job.id).toMatch(/^[0-9a-f-]{36}$/);
    await jobs.narrateJob({
      jobId: job.id,
      message: 'one',
      important: true,
      attachments: [{ caption: 'c', content: { $case: 'yaml', value: { text: 'a: 1\n' } } }],
    });
    await jobs.addJobSensor({ jobId: job.id, sensorId: 's2' });
    await jobs.addJobSensor({ jobId: job.id, sensorId: 's2' });
    await jobs.setJobCause({ jobId: job.id, cause: 'better cause' });
    const closed = (await jobs.closeJob({ jobId: job.id })).job!;
    const again = (await jobs.closeJob({ jobId: job.id })).job!;
    expect(again.endTime).toEqual(closed.endTime);
    const { job: got } = await jobs.getJob({ jobId: job.id });
    expect(got).toMatchObject({ cause: 'better cause', sensorIds: ['s2'] });
    expect(got!.narration).toEqual([
      expect.objectContaining({
        message: 'one',
        important: true,
        attachments: [{ caption: 'c', content: { $case: 'yaml', value: { text: 'a: 1\n' } } }],
      }),
    ]);
    expect(
      await grpcError(
        jobs.narrateJob({ jobId: job.id, message: 'x', attachments: [], important: false }),
      ),
    ).toEqual({ code: status.FAILED_PRECONDITION, details: `job ${job.id} is closed` });
  });

  it('refuses bad input with the field named, writing nothing', async () => {
    expect(await grpcError(jobs.getJob({ jobId: 'nope' }))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'job_id: must be a UUID, got "nope"',
    });
    const job = await newJob();
    expect(
      await grpcError(
        jobs.narrateJob({
          jobId: job.id,
          message: 'x',
          attachments: [{ caption: 'c', content: undefined }],
          important: false,
        }),
      ),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'attachments[0]: needs one of hex_dump, table, json, yaml',
    });
    expect(
      await grpcError(
        jobs.createJob({ id: job.id, oid: '', serviceName: '', cause: '', sensorIds: [] }),
      ),
    ).toEqual({ code: status.ALREADY_EXISTS, details: `job ${job.id} already exists` });
    expect((await jobs.getJob({ jobId: job.id })).job!.narration).toEqual([]);
  });

  it('lists newest first by org and state, page by page', async () => {
    const oid = 'org-list';
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await newJob(oid, `c${i}`));
    await jobs.closeJob({ jobId: made[0]!.id });
    const seen: string[] = [];
    let pageToken = '';
    do {
      const page = await jobs.listJobs({ oid, state: 0, pageSize: 2, pageToken });
      seen.push(...page.jobs.map((j) => j.cause));
      pageToken = page.nextPageToken;
    } while (pageToken !== '');
    expect(seen).toEqual(['c4', 'c3', 'c2', 'c1', 'c0']);
    const closed = await jobs.listJobs({
      oid,
      state: JobState.JOB_STATE_CLOSED,
      pageSize: 0,
      pageToken: '',
    });
    expect(closed.jobs.map((j) => j.cause)).toEqual(['c0']);
    expect(
      (await grpcError(jobs.listJobs({ oid, state: 0, pageSize: 0, pageToken: 'garbage' }))).code,
    ).toBe(status.INVALID_ARGUMENT);
  });

  it('watches a job: snapshot, each entry and change, then ends when it closes', async () => {
    const job = await newJob();
    const events: WatchJobResponse['event'][] = [];
    const done = (async () => {
      for await (const e of jobs.watchJob({ jobId: job.id }, { deadlineMs: 10_000 })) {
        events.push(e.event);
        if (e.event?.$case === 'snapshot') {
          await jobs.narrateJob({ jobId: job.id, message: 'a', attachments: [], important: false });
          await jobs.narrateJob({ jobId: job.id, message: 'b', attachments: [], important: false });
          await jobs.closeJob({ jobId: job.id });
        }
      }
    })();
    await done;
    expect(events.map((e) => e?.$case)).toEqual(['snapshot', 'narrated', 'narrated', 'changed']);
    expect(events[3]?.$case === 'changed' && events[3].value.endTime).toBeInstanceOf(Date);
  });

  it('applies handler updates idempotently and hands each change out once, even to racing takers', async () => {
    const id = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const update = {
      id,
      cause: 'from a response',
      sensorIds: ['s'],
      narration: [{ time: new Date(), message: 'one', attachments: [], important: false }],
      closed: false,
      startTime: new Date(),
    };
    await jobs.applyJobUpdates({ oid: 'o', serviceName: 'svc', updates: [update] });
    await jobs.applyJobUpdates({ oid: 'o', serviceName: 'svc', updates: [update] });
    await jobs.applyJobUpdates({
      oid: 'o',
      serviceName: 'svc',
      updates: [
        {
          ...update,
          narration: [...update.narration, { ...update.narration[0]!, message: 'two' }],
          closed: true,
        },
      ],
    });
    expect((await jobs.getJob({ jobId: id })).job!.narration.map((e) => e.message)).toEqual([
      'one',
      'two',
    ]);
    expect(
      await grpcError(
        jobs.applyJobUpdates({ oid: 'someone-else', serviceName: 'svc', updates: [update] }),
      ),
    ).toEqual({
      code: status.FAILED_PRECONDITION,
      details: `updates[0]: job ${id} belongs to org "o" of service "svc"`,
    });

    const takers = await Promise.all(
      [1, 2, 3].map(() =>
        jobs.takeUndeliveredJobUpdates({ oid: 'o', serviceName: 'svc', limit: 0 }),
      ),
    );
    const deltas = takers.flatMap((t) => t.deltas);
    expect(deltas).toHaveLength(1);
    expect(deltas[0]).toMatchObject({ isNew: true, newlyClosed: true });
    expect(deltas[0]!.job!.narration.map((e) => e.message)).toEqual(['one', 'two']);
    expect(
      (await jobs.takeUndeliveredJobUpdates({ oid: 'o', serviceName: 'svc', limit: 0 })).deltas,
    ).toEqual([]);
  });
});
