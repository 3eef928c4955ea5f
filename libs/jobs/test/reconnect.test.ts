import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGrpcError } from '@checkwire/grpc';
import { startJobsWorld, type JobsWorld } from './harness.js';

// A Jobs server whose LISTEN connection is terminated must not leave watchers believing they
// missed nothing: their streams end with UNAVAILABLE, and watching again starts from a snapshot
// that includes what was written while it reconnected.

let world: JobsWorld;
let jobs: JobsWorld['jobs'];
let sql: JobsWorld['sql'];

beforeAll(async () => {
  world = await startJobsWorld();
  ({ jobs, sql } = world);
});
afterAll(() => world.stop());

/** Terminates the Jobs server's LISTEN connection (as a database failover or restart would). */
async function terminateListener(): Promise<void> {
  const { rowCount } = await sql.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
     WHERE application_name = 'checkwire-listener' AND datname = current_database()`,
  );
  expect(rowCount).toBe(1);
}

/** The first message of a fresh watch, once the server listens again (UNAVAILABLE until then). */
async function freshSnapshot(serviceName: string): Promise<string[]> {
  for (;;) {
    try {
      const stream = jobs.watchUndeliveredOrgs({ serviceName }, { deadlineMs: 10_000 });
      for await (const message of stream) {
        expect(message.snapshot).toBe(true);
        return message.oids;
      }
    } catch (err) {
      if (!isGrpcError(err) || err.code !== status.UNAVAILABLE) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe('Jobs watchers when the LISTEN connection is lost', () => {
  it('WatchUndeliveredOrgs ends with UNAVAILABLE; watching again sees what was written meanwhile', async () => {
    expect(await freshSnapshot('svc-a')).toEqual([]);
    const stream = jobs.watchUndeliveredOrgs({ serviceName: 'svc-a' }, { deadlineMs: 30_000 });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ oids: [], snapshot: true });
    // The expectation is attached before the listener is killed: the stream can end while
    // terminateListener() still awaits its query, and a rejection nobody handles yet fails the run.
    const ended = expect(iterator.next()).rejects.toMatchObject({
      code: status.UNAVAILABLE,
      details:
        'job notifications lost their PostgreSQL connection (changes may have been missed); watch again',
    });
    await terminateListener();
    await ended;
    // Written before anyone could have been told of it.
    await jobs.createJob({ id: '', oid: 'org-1', serviceName: 'svc-a', cause: 'c', sensorIds: [] });
    expect(await freshSnapshot('svc-a')).toEqual(['org-1']);
  });

  it('WatchJob ends with UNAVAILABLE too', async () => {
    await freshSnapshot('svc-b');
    const { job } = await jobs.createJob({
      id: '',
      oid: 'org-2',
      serviceName: 'svc-b',
      cause: 'c',
      sensorIds: [],
    });
    const watch = jobs.watchJob({ jobId: job!.id }, { deadlineMs: 30_000 });
    const iterator = watch[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ event: { $case: 'snapshot' } });
    const ended = expect(iterator.next()).rejects.toMatchObject({ code: status.UNAVAILABLE });
    await terminateListener();
    await ended;
  });
});
