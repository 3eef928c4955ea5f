import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator, TokenAdministration } from '@checkwire/auth';
import { connectDatabase } from '@checkwire/db';
import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import { JobsServiceService, JobState, type WatchJobResponse } from '@checkwire/proto';
import { createTestDatabase, grpcError, type TestDatabase } from '@checkwire/testing';
import { JobsApp } from '../src/index.js';

let database: TestDatabase;
let app: JobsApp;
let jobs: PromiseClient<typeof JobsServiceService>;
let red: PromiseClient<typeof JobsServiceService>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await JobsApp.start({ databaseUrl: database.url });
  const handle = connectDatabase({ connectionString: database.url, maxConnections: 1 });
  const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
  const runner = (await tokens.create({ name: 'gateway', role: 'lc_gateway' })).secret;
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
  it('is for admin and lc_gateway tokens only', async () => {
    expect(
      await grpcError(red.listJobs({ oid: '', state: 0, pageSize: 0, pageToken: '' })),
    ).toEqual({
      code: status.PERMISSION_DENIED,
      details: 'a red token may not call JobsService.ListJobs; it needs admin or lc_gateway',
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
        jobs.createJob({ id: job.id, oid: '', serviceName: '', cause: 'c', sensorIds: [] }),
      ),
    ).toEqual({ code: status.ALREADY_EXISTS, details: `job ${job.id} already exists` });
    expect((await jobs.getJob({ jobId: job.id })).job!.narration).toEqual([]);
  });

  it('refuses a new job without a cause (LimaCharlie requires one), writing nothing', async () => {
    const id = 'cccccccc-0000-4000-8000-000000000001';
    for (const cause of ['', '  ']) {
      expect(
        await grpcError(
          jobs.createJob({ id, oid: 'org-nocause', serviceName: 'svc', cause, sensorIds: [] }),
        ),
      ).toEqual({ code: status.INVALID_ARGUMENT, details: 'cause: is required for a new job' });
    }
    const update = {
      id,
      cause: '',
      sensorIds: [],
      narration: [{ message: 'x', attachments: [], important: false }],
      closed: false,
    };
    const other = { ...update, id: 'cccccccc-0000-4000-8000-000000000002', cause: 'fine' };
    expect(
      await grpcError(
        jobs.applyJobUpdates({ oid: 'org-nocause', serviceName: 'svc', updates: [other, update] }),
      ),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'updates[1].cause: is required for a new job',
    });
    // Nothing at all was written: not even the valid update before it.
    expect(await grpcError(jobs.getJob({ jobId: other.id }))).toMatchObject({
      code: status.NOT_FOUND,
    });
    const listed = await jobs.listJobs({
      oid: 'org-nocause',
      state: 0,
      pageSize: 0,
      pageToken: '',
    });
    expect(listed.jobs).toEqual([]);
    // A job the store has may be advanced without repeating its cause.
    await jobs.applyJobUpdates({ oid: 'org-nocause', serviceName: 'svc', updates: [other] });
    await jobs.applyJobUpdates({
      oid: 'org-nocause',
      serviceName: 'svc',
      updates: [{ ...other, cause: '', narration: [{ ...update.narration[0]!, message: 'y' }] }],
    });
    const { job } = await jobs.getJob({ jobId: other.id });
    expect(job).toMatchObject({ cause: 'fine' });
    expect(job!.narration.map((e) => e.message)).toEqual(['x', 'y']);
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
      narration: [
        { id: 'e-1', time: new Date(), message: 'one', attachments: [], important: false },
      ],
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
          narration: [...update.narration, { ...update.narration[0]!, id: 'e-2', message: 'two' }],
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
      details: `updates[0]: job ${id} belongs to another org or service`,
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
    // Leased to the one that took it: nobody else gets it, and it is still pending (more).
    expect(
      await jobs.takeUndeliveredJobUpdates({ oid: 'o', serviceName: 'svc', limit: 0 }),
    ).toEqual({ deltas: [], deliveryId: '', more: true });
    const lease = takers.find((t) => t.deltas.length > 0)!;
    expect(await jobs.confirmJobUpdatesDelivered({ deliveryId: lease.deliveryId })).toEqual({
      confirmed: 1,
    });
    expect(
      await jobs.takeUndeliveredJobUpdates({ oid: 'o', serviceName: 'svc', limit: 0 }),
    ).toEqual({ deltas: [], deliveryId: '', more: false });
  });

  it('stores an entry with an id once, wherever it is sent; entries without an id every time', async () => {
    const id = 'dddddddd-0000-4000-8000-000000000001';
    const entry = (message: string, entryId?: string) => ({
      ...(entryId === undefined ? {} : { id: entryId }),
      message,
      attachments: [],
      important: false,
    });
    const apply = (narration: ReturnType<typeof entry>[]) =>
      jobs.applyJobUpdates({
        oid: 'org-ids',
        serviceName: 'svc',
        updates: [{ id, cause: 'ids', sensorIds: [], narration, closed: false }],
      });
    await apply([entry('a', 'id-a'), entry('b', 'id-b')]);
    // The same job object again, with one more entry: only the new one is added.
    await apply([entry('a', 'id-a'), entry('b', 'id-b'), entry('c', 'id-c')]);
    // A fresh object for the known job (lcservice's Job(jobId)) narrating only what is new: it
    // is appended although it is shorter than what is stored (a count would have dropped it).
    await apply([entry('d', 'id-d')]);
    // The same id twice in one update is one entry.
    await apply([entry('e', 'id-e'), entry('e again', 'id-e')]);
    // Without ids, entries are appended every time they are sent.
    await apply([entry('plain')]);
    await apply([entry('plain')]);
    const { job } = await jobs.getJob({ jobId: id });
    expect(job!.narration.map((e) => [e.message, e.id])).toEqual([
      ['a', 'id-a'],
      ['b', 'id-b'],
      ['c', 'id-c'],
      ['d', 'id-d'],
      ['e', 'id-e'],
      ['plain', undefined],
      ['plain', undefined],
    ]);
    expect(await grpcError(apply([entry('too long', 'x'.repeat(201))]))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'updates[0].narration[0].id: must be at most 200 characters, got 201',
    });
    expect((await jobs.getJob({ jobId: id })).job!.narration).toHaveLength(7);
  });

  it('delivers a cause or sensor change made after the first delivery, once', async () => {
    const oid = 'org-changes';
    const take = async () => {
      const taken = await jobs.takeUndeliveredJobUpdates({ oid, serviceName: 'svc' });
      if (taken.deliveryId !== '') {
        await jobs.confirmJobUpdatesDelivered({ deliveryId: taken.deliveryId });
      }
      return taken.deltas;
    };
    const { job } = await jobs.createJob({
      id: '',
      oid,
      serviceName: 'svc',
      cause: 'first cause',
      sensorIds: ['s-b'],
    });
    const [first] = await take();
    expect(first).toMatchObject({ isNew: true, causeChanged: false, sensorsChanged: false });
    expect(await take()).toEqual([]);

    await jobs.setJobCause({ jobId: job!.id, cause: 'second cause' });
    const [cause] = await take();
    expect(cause).toMatchObject({ isNew: false, causeChanged: true, sensorsChanged: false });
    expect(cause!.job).toMatchObject({ cause: 'second cause', sensorIds: ['s-b'] });
    expect(await take()).toEqual([]);

    // A sensor the job already has changes nothing, and is not delivered again.
    await jobs.addJobSensor({ jobId: job!.id, sensorId: 's-b' });
    expect(await take()).toEqual([]);
    await jobs.addJobSensor({ jobId: job!.id, sensorId: 's-a' });
    await jobs.addJobSensor({ jobId: job!.id, sensorId: 's-b' });
    const [sensors] = await take();
    expect(sensors).toMatchObject({ isNew: false, causeChanged: false, sensorsChanged: true });
    expect(sensors!.job!.sensorIds).toEqual(['s-b', 's-a']);
    expect(await take()).toEqual([]);
    // Nor can a cause be blanked.
    expect(await grpcError(jobs.setJobCause({ jobId: job!.id, cause: '  ' }))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'cause: must not be blank',
    });

    // The same changes through a handler's response, and a cause set back to what was sent.
    await jobs.applyJobUpdates({
      oid,
      serviceName: 'svc',
      updates: [
        { id: job!.id, cause: 'third cause', sensorIds: ['s-c'], narration: [], closed: false },
      ],
    });
    const [both] = await take();
    expect(both).toMatchObject({ causeChanged: true, sensorsChanged: true });
    expect(both!.job!.sensorIds).toEqual(['s-b', 's-a', 's-c']);
    await jobs.setJobCause({ jobId: job!.id, cause: 'fourth' });
    await jobs.setJobCause({ jobId: job!.id, cause: 'third cause' });
    expect(await take()).toEqual([]);
  });
});
