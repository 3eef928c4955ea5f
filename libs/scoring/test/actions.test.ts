import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceErrorKind } from '@checkwire/proto';
import { grpcError, seedService, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe('InsertServiceScoreInProgress', () => {
  it('opens a check run and raises in_progress', async () => {
    const { service } = await seedService(h);
    const res = await h.scoring.insertServiceScoreInProgress({ serviceId: service.id });
    expect(res.alreadyInProgress).toBe(false);
    expect(res.checkRun?.serviceId).toBe(service.id);
    expect(res.checkRun?.startedAt).toBeInstanceOf(Date);
    expect(res.checkRun?.finishedAt).toBeUndefined();
    const { service: after } = await h.admin.getService({ id: service.id });
    expect(after?.inProgress).toBe(true);
  });

  it('returns the same run while one is open (idempotent), even under concurrent calls', async () => {
    const { service } = await seedService(h);
    const calls = await Promise.all(
      Array.from({ length: 8 }, () =>
        h.scoring.insertServiceScoreInProgress({ serviceId: service.id }),
      ),
    );
    const ids = new Set(calls.map((c) => c.checkRun?.id));
    expect(ids.size).toBe(1);
    expect(calls.filter((c) => !c.alreadyInProgress)).toHaveLength(1);
    const runs = await h.sql.query(
      'SELECT count(*)::int AS n FROM check_run WHERE service_id = $1',
      [service.id],
    );
    expect(runs.rows[0].n).toBe(1);
  });

  it('answers NOT_FOUND for an unknown service and INVALID_ARGUMENT for a non-positive id', async () => {
    expect(await grpcError(h.scoring.insertServiceScoreInProgress({ serviceId: 999999 }))).toEqual({
      code: status.NOT_FOUND,
      details: 'service 999999 not found',
    });
    expect(await grpcError(h.scoring.insertServiceScoreInProgress({ serviceId: 0 }))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'service_id: must be a positive id, got 0',
    });
  });
});

describe('InsertServiceScore', () => {
  it('stores the score, links the open run and updates last_scan fields', async () => {
    const { service } = await seedService(h);
    const { checkRun } = await h.scoring.insertServiceScoreInProgress({ serviceId: service.id });
    const { score, replayed } = await h.scoring.insertServiceScore({
      serviceId: service.id,
      result: 75,
      errorMsg: 'slow response',
    });
    expect(replayed).toBe(false);
    expect(score).toMatchObject({
      serviceId: service.id,
      result: 75,
      submittedResult: 75,
      capped: false,
      errorMsg: 'slow response',
      checkRunId: checkRun?.id,
    });
    const { service: after } = await h.admin.getService({ id: service.id });
    expect(after?.lastScan).toBe(75);
    expect(after?.lastScanError).toBe('slow response');
    expect(after?.lastScanTime?.getTime()).toBe(score?.createdAt?.getTime());
  });

  it('stores a score without a run when none is open, and clears last_scan_error', async () => {
    const { service } = await seedService(h);
    await h.scoring.insertServiceScore({ serviceId: service.id, result: 1, errorMsg: 'x' });
    const { score } = await h.scoring.insertServiceScore({ serviceId: service.id, result: 2 });
    expect(score?.checkRunId).toBeUndefined();
    expect(score?.errorMsg).toBeUndefined();
    const { service: after } = await h.admin.getService({ id: service.id });
    expect(after?.lastScan).toBe(2);
    expect(after?.lastScanError).toBeUndefined();
  });

  it('caps the result at score_cap and says so', async () => {
    const { service } = await seedService(h, { scoreCap: 50 });
    const { score } = await h.scoring.insertServiceScore({ serviceId: service.id, result: 80 });
    expect(score).toMatchObject({ result: 50, submittedResult: 80, capped: true });
    const low = await h.scoring.insertServiceScore({ serviceId: service.id, result: 30 });
    expect(low.score).toMatchObject({ result: 30, submittedResult: 30, capped: false });
  });

  it('replays a retry with the same request_id and writes nothing', async () => {
    const { service } = await seedService(h);
    const first = await h.scoring.insertServiceScore({
      serviceId: service.id,
      result: 10,
      requestId: 'round-7',
    });
    const before = await h.count('score');
    const retry = await h.scoring.insertServiceScore({
      serviceId: service.id,
      result: 99,
      requestId: 'round-7',
    });
    expect(retry.replayed).toBe(true);
    expect(retry.score).toEqual(first.score);
    expect(await h.count('score')).toBe(before);
    const { service: after } = await h.admin.getService({ id: service.id });
    expect(after?.lastScan).toBe(10);
  });

  it('refuses scores for an administratively down service, naming the reason, writing nothing', async () => {
    const { service } = await seedService(h, {
      administrativelyDown: true,
      downReason: 'maintenance window',
    });
    const before = await h.count('score');
    expect(
      await grpcError(h.scoring.insertServiceScore({ serviceId: service.id, result: 5 })),
    ).toEqual({
      code: status.FAILED_PRECONDITION,
      details: `service ${service.id} is administratively down (reason: maintenance window); it accepts no scores`,
    });
    expect(await h.count('score')).toBe(before);
    const { service: after } = await h.admin.getService({ id: service.id });
    expect(after?.lastScan).toBeUndefined();
  });

  it('refuses a result outside int32 and an unknown service, writing nothing', async () => {
    const { service } = await seedService(h);
    const before = await h.count('score');
    expect(
      await grpcError(h.scoring.insertServiceScore({ serviceId: service.id, result: 2 ** 31 })),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details:
        'result: must fit in a 32-bit signed integer (-2147483648..2147483647), got 2147483648',
    });
    expect(await grpcError(h.scoring.insertServiceScore({ serviceId: 424242, result: 1 }))).toEqual(
      {
        code: status.NOT_FOUND,
        details: 'service 424242 not found',
      },
    );
    const long = 'x'.repeat(129);
    expect(
      await grpcError(
        h.scoring.insertServiceScore({ serviceId: service.id, result: 1, requestId: long }),
      ),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'request_id: must be at most 128 characters, got 129',
    });
    expect(await h.count('score')).toBe(before);
  });
});

describe('InsertServiceScoreDone', () => {
  it('closes the open run and clears in_progress', async () => {
    const { service } = await seedService(h);
    const { checkRun } = await h.scoring.insertServiceScoreInProgress({ serviceId: service.id });
    const done = await h.scoring.insertServiceScoreDone({ serviceId: service.id });
    expect(done.checkRun?.id).toBe(checkRun?.id);
    expect(done.checkRun?.finishedAt).toBeInstanceOf(Date);
    expect(done.checkRun!.finishedAt!.getTime()).toBeGreaterThanOrEqual(
      checkRun!.startedAt!.getTime(),
    );
    const { service: after } = await h.admin.getService({ id: service.id });
    expect(after?.inProgress).toBe(false);
    // The next in-progress opens a new run.
    const next = await h.scoring.insertServiceScoreInProgress({ serviceId: service.id });
    expect(next.checkRun?.id).not.toBe(checkRun?.id);
    expect(next.alreadyInProgress).toBe(false);
  });

  it('answers OK and changes nothing when no run is open', async () => {
    const { service } = await seedService(h);
    const before = await h.admin.getService({ id: service.id });
    const done = await h.scoring.insertServiceScoreDone({ serviceId: service.id });
    expect(done.checkRun).toBeUndefined();
    const after = await h.admin.getService({ id: service.id });
    expect(after.service?.updatedAt).toEqual(before.service?.updatedAt);
    expect(after.service?.inProgress).toBe(false);
  });

  it('answers NOT_FOUND for an unknown service', async () => {
    expect(await grpcError(h.scoring.insertServiceScoreDone({ serviceId: 777777 }))).toEqual({
      code: status.NOT_FOUND,
      details: 'service 777777 not found',
    });
  });
});

describe('ReportServiceError', () => {
  it('records an error linked to the score and its service', async () => {
    const { service } = await seedService(h);
    const { score } = await h.scoring.insertServiceScore({ serviceId: service.id, result: 0 });
    const { serviceError } = await h.scoring.reportServiceError({
      scoreId: score!.id,
      kind: ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT,
      message: 'no answer within 5 s',
      detail: 'connect 10.0.1.5:80',
    });
    expect(serviceError).toMatchObject({
      scoreId: score!.id,
      serviceId: service.id,
      kind: ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT,
      message: 'no answer within 5 s',
      detail: 'connect 10.0.1.5:80',
    });
    expect(serviceError?.id).toBeGreaterThan(0);
  });

  it('refuses an unknown score, a missing or unknown kind and an empty message, writing nothing', async () => {
    const { service } = await seedService(h);
    const { score } = await h.scoring.insertServiceScore({ serviceId: service.id, result: 0 });
    const before = await h.count('service_error');
    const base = { scoreId: score!.id, message: 'm', detail: '' };
    expect(
      await grpcError(
        h.scoring.reportServiceError({
          ...base,
          scoreId: 5555555,
          kind: ServiceErrorKind.SERVICE_ERROR_KIND_OTHER,
        }),
      ),
    ).toEqual({ code: status.NOT_FOUND, details: 'score 5555555 not found' });
    const badKind = {
      code: status.INVALID_ARGUMENT,
      details: 'kind: must be one of TIMEOUT, CONTENT, CREDENTIALS, CONNECTION, OTHER',
    };
    expect(
      await grpcError(
        h.scoring.reportServiceError({
          ...base,
          kind: ServiceErrorKind.SERVICE_ERROR_KIND_UNSPECIFIED,
        }),
      ),
    ).toEqual(badKind);
    expect(
      await grpcError(h.scoring.reportServiceError({ ...base, kind: 42 as ServiceErrorKind })),
    ).toEqual(badKind);
    expect(
      await grpcError(
        h.scoring.reportServiceError({
          ...base,
          message: '  ',
          kind: ServiceErrorKind.SERVICE_ERROR_KIND_CONTENT,
        }),
      ),
    ).toEqual({ code: status.INVALID_ARGUMENT, details: 'message: must not be empty' });
    expect(await h.count('service_error')).toBe(before);
  });
});
