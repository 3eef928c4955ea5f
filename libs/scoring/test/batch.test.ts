import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpcError, seedService, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe('InsertServiceScores (batch)', () => {
  it('writes every score in request order and moves each service to its newest score', async () => {
    const a = await seedService(h);
    const b = await seedService(h, { scoreCap: 5 });
    await h.scoring.insertServiceScoreInProgress({ serviceId: a.service.id });
    const { scores, replayed } = await h.scoring.insertServiceScores({
      entries: [
        { serviceId: a.service.id, result: 1 },
        { serviceId: b.service.id, result: 9, errorMsg: 'partial' },
        { serviceId: a.service.id, result: 3 },
      ],
    });
    expect(scores.map((s) => [s.serviceId, s.result, s.submittedResult, s.capped])).toEqual([
      [a.service.id, 1, 1, false],
      [b.service.id, 5, 9, true],
      [a.service.id, 3, 3, false],
    ]);
    expect(replayed).toEqual([false, false, false]);
    expect(scores[0]?.checkRunId).toBeGreaterThan(0);
    expect(scores[1]?.checkRunId).toBeUndefined();
    const sa = (await h.admin.getService({ id: a.service.id })).service;
    const sb = (await h.admin.getService({ id: b.service.id })).service;
    expect(sa?.lastScan).toBe(3);
    expect(sb?.lastScan).toBe(5);
    expect(sb?.lastScanError).toBe('partial');
  });

  it('is all-or-nothing: one down service refuses the whole batch', async () => {
    const up = await seedService(h);
    const down = await seedService(h, { administrativelyDown: true, downReason: 'rebuild' });
    const before = await h.count('score');
    expect(
      await grpcError(
        h.scoring.insertServiceScores({
          entries: [
            { serviceId: up.service.id, result: 1 },
            { serviceId: down.service.id, result: 1 },
          ],
        }),
      ),
    ).toEqual({
      code: status.FAILED_PRECONDITION,
      details: `service ${down.service.id} is administratively down (reason: rebuild); it accepts no scores`,
    });
    expect(await h.count('score')).toBe(before);
    expect((await h.admin.getService({ id: up.service.id })).service?.lastScan).toBeUndefined();
  });

  it('is all-or-nothing: one unknown service or bad entry refuses the whole batch, naming it', async () => {
    const up = await seedService(h);
    const before = await h.count('score');
    expect(
      await grpcError(
        h.scoring.insertServiceScores({
          entries: [
            { serviceId: up.service.id, result: 1 },
            { serviceId: 31337, result: 1 },
          ],
        }),
      ),
    ).toEqual({
      code: status.NOT_FOUND,
      details: 'entries[1].service_id: service 31337 not found',
    });
    expect(
      await grpcError(
        h.scoring.insertServiceScores({
          entries: [
            { serviceId: up.service.id, result: 1 },
            { serviceId: up.service.id, result: -(2 ** 31) - 1 },
          ],
        }),
      ),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details:
        'entries[1].result: must fit in a 32-bit signed integer (-2147483648..2147483647), got -2147483649',
    });
    expect(await grpcError(h.scoring.insertServiceScores({ entries: [] }))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'entries: must hold 1..10000 scores, got 0',
    });
    expect(await h.count('score')).toBe(before);
  });

  it('replays keyed entries that were written before and writes only the new ones', async () => {
    const { service } = await seedService(h);
    const first = await h.scoring.insertServiceScores({
      entries: [
        { serviceId: service.id, result: 1, requestId: 'r1' },
        { serviceId: service.id, result: 2, requestId: 'r2' },
      ],
    });
    const before = await h.count('score');
    const retry = await h.scoring.insertServiceScores({
      entries: [
        { serviceId: service.id, result: 1, requestId: 'r1' },
        { serviceId: service.id, result: 3, requestId: 'r3' },
        { serviceId: service.id, result: 2, requestId: 'r2' },
      ],
    });
    expect(retry.replayed).toEqual([true, false, true]);
    expect(retry.scores[0]).toEqual(first.scores[0]);
    expect(retry.scores[2]).toEqual(first.scores[1]);
    expect(retry.scores[1]).toMatchObject({ result: 3, requestId: 'r3' });
    expect(await h.count('score')).toBe(before + 1);
  });

  it('writes a large batch in one call', async () => {
    const { service } = await seedService(h);
    const entries = Array.from({ length: 5000 }, (_, i) => ({ serviceId: service.id, result: i }));
    const { scores } = await h.scoring.insertServiceScores({ entries });
    expect(scores).toHaveLength(5000);
    expect(scores.map((s) => s.result)).toEqual(entries.map((e) => e.result));
    expect((await h.admin.getService({ id: service.id })).service?.lastScan).toBe(4999);
  });
});
