import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TakeUndeliveredJobUpdatesResponse, type NarrationEntry } from '@checkwire/proto';
import { grpcError, tableFingerprint } from '@checkwire/testing';
import { ANSWER_BUDGET_BYTES, MAX_ENTRY_BYTES } from '../src/job-size.js';
import { startJobsWorld, type JobsWorld } from './harness.js';

// Delivery towards LimaCharlie: leased, confirmed only once the answer is written, within a size
// budget, and entries that could never fit are refused when they are written.

let world: JobsWorld;
let jobs: JobsWorld['jobs'];
let sql: JobsWorld['sql'];

beforeAll(async () => {
  world = await startJobsWorld();
  ({ jobs, sql } = world);
});
afterAll(() => world.stop());

const uuid = (n: number) => `eeeeeeee-0000-4000-8000-${String(n).padStart(12, '0')}`;
const jsonEntry = (message: string, bytes: number): Partial<NarrationEntry> => ({
  id: message,
  message,
  attachments: [
    { caption: 'blob', content: { $case: 'json', value: { text: `"${'x'.repeat(bytes)}"` } } },
  ],
});

describe('TakeUndeliveredJobUpdates and ConfirmJobUpdatesDelivered', () => {
  it('marks nothing delivered until confirmed, and gives an unconfirmed lease again after it runs out', async () => {
    const oid = 'org-lease';
    await jobs.createJob({ id: uuid(1), oid, serviceName: 'svc', cause: 'c' });
    const first = await jobs.takeUndeliveredJobUpdates({
      oid,
      serviceName: 'svc',
      leaseSeconds: 1,
    });
    expect(first.deltas.map((d) => [d.job?.id, d.isNew])).toEqual([[uuid(1), true]]);
    expect(first.more).toBe(false);
    // Leased: nobody else gets it meanwhile, yet it is not delivered.
    expect(await jobs.takeUndeliveredJobUpdates({ oid, serviceName: 'svc' })).toEqual({
      deltas: [],
      deliveryId: '',
      more: true,
    });
    // The taker died before confirming: once the lease ends, the same change is given again.
    let again = await jobs.takeUndeliveredJobUpdates({ oid, serviceName: 'svc' });
    while (again.deltas.length === 0) {
      await new Promise((r) => setTimeout(r, 100));
      again = await jobs.takeUndeliveredJobUpdates({ oid, serviceName: 'svc' });
    }
    expect(again.deltas).toEqual(first.deltas);
    // The old lease was taken over: confirming it marks nothing.
    expect(await jobs.confirmJobUpdatesDelivered({ deliveryId: first.deliveryId })).toEqual({
      confirmed: 0,
    });
    expect(await jobs.confirmJobUpdatesDelivered({ deliveryId: again.deliveryId })).toEqual({
      confirmed: 1,
    });
    // Idempotent.
    expect(await jobs.confirmJobUpdatesDelivered({ deliveryId: again.deliveryId })).toEqual({
      confirmed: 0,
    });
    expect((await jobs.takeUndeliveredJobUpdates({ oid, serviceName: 'svc' })).deltas).toEqual([]);
  });

  it('delivers narration written while a lease was open after it is confirmed', async () => {
    const oid = 'org-while-leased';
    await jobs.createJob({ id: uuid(2), oid, serviceName: 'svc', cause: 'c' });
    const lease = await jobs.takeUndeliveredJobUpdates({ oid, serviceName: 'svc' });
    await jobs.narrateJob({ jobId: uuid(2), message: 'late' });
    await jobs.confirmJobUpdatesDelivered({ deliveryId: lease.deliveryId });
    const next = await jobs.takeUndeliveredJobUpdates({ oid, serviceName: 'svc' });
    expect(next.deltas.map((d) => [d.isNew, d.job?.narration.map((e) => e.message)])).toEqual([
      [false, ['late']],
    ]);
  });

  it('spreads narration over answers within the size budget, oldest first, the end with the last entry', async () => {
    const oid = 'org-big';
    const entryBytes = 900_000;
    const names = Array.from({ length: 8 }, (_, i) => `e${i}`);
    for (const [i, name] of names.entries()) {
      await jobs.applyJobUpdates({
        oid,
        serviceName: 'svc',
        updates: [
          {
            id: uuid(3),
            cause: 'big',
            narration: [jsonEntry(name, entryBytes)],
            closed: i === names.length - 1,
          },
        ],
      });
    }
    const received: string[] = [];
    const answers: { bytes: number; closed: boolean; more: boolean }[] = [];
    for (let more = true; more;) {
      const answer = await jobs.takeUndeliveredJobUpdates({ oid, serviceName: 'svc' });
      const bytes = TakeUndeliveredJobUpdatesResponse.encode(answer).finish().length;
      answers.push({ bytes, closed: answer.deltas[0]?.newlyClosed ?? false, more: answer.more });
      received.push(...answer.deltas.flatMap((d) => d.job!.narration.map((e) => e.message)));
      await jobs.confirmJobUpdatesDelivered({ deliveryId: answer.deliveryId });
      more = answer.more;
    }
    expect(received).toEqual(names);
    expect(answers.length).toBeGreaterThan(2);
    for (const a of answers) expect(a.bytes).toBeLessThanOrEqual(ANSWER_BUDGET_BYTES);
    expect(answers.map((a) => a.closed)).toEqual(answers.map((_, i) => i === answers.length - 1));
  });

  it('refuses, when it is written, an entry that could never fit an answer; nothing is written', async () => {
    const oid = 'org-huge';
    await jobs.createJob({ id: uuid(4), oid, serviceName: 'svc', cause: 'c' });
    const before = await tableFingerprint(sql);
    const huge = jsonEntry('huge', MAX_ENTRY_BYTES);
    const refused = await grpcError(
      jobs.applyJobUpdates({
        oid,
        serviceName: 'svc',
        updates: [{ id: uuid(4), cause: 'c', narration: [jsonEntry('ok', 10), huge] }],
      }),
    );
    expect(refused.code).toBe(status.INVALID_ARGUMENT);
    expect(refused.details).toMatch(
      new RegExp(
        `^updates\\[0\\]\\.narration\\[1\\]: is \\d+ bytes with its attachments; an entry may have at most ${MAX_ENTRY_BYTES} \\(split it into several entries\\)$`,
      ),
    );
    expect((await grpcError(jobs.narrateJob({ jobId: uuid(4), ...huge }))).code).toBe(
      status.INVALID_ARGUMENT,
    );
    const sensors = Array.from({ length: 1001 }, (_, i) => `s-${i}`);
    expect(
      await grpcError(
        jobs.createJob({ id: uuid(5), oid, serviceName: 'svc', cause: 'c', sensorIds: sensors }),
      ),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'sensor_ids: may hold at most 1000 sensors, got 1001',
    });
    expect(await tableFingerprint(sql)).toEqual(before);
  });
});
