import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, Service, ServiceErrorKind } from '@checkwire/proto';
import { tableFingerprint } from '@checkwire/testing';
import {
  connect,
  grpcError,
  seedService,
  serviceDraft,
  startHarness,
  type Harness,
} from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const TIMEOUT = ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT;

async function inProgress(id: number): Promise<boolean | undefined> {
  return (await h.admin.getService({ id })).service?.inProgress;
}

describe('StartServiceChecks', () => {
  it('opens a run per service in request order, returns open runs as they are, skips down services', async () => {
    const a = (await seedService(h)).service;
    const b = (await seedService(h)).service;
    const down = (await seedService(h, { administrativelyDown: true, downReason: 'x' })).service;
    const { checkRun: openB } = await h.scoring.insertServiceScoreInProgress({ serviceId: b.id });

    const { checks } = await h.scoring.startServiceChecks({
      serviceIds: [a.id, down.id, b.id, a.id],
    });
    expect(checks.map((c) => [c.serviceId, c.alreadyInProgress, c.administrativelyDown])).toEqual([
      [a.id, false, false],
      [down.id, false, true],
      [b.id, true, false],
      [a.id, false, false],
    ]);
    expect(checks[0]?.checkRun?.id).toBeGreaterThan(0);
    expect(checks[3]?.checkRun?.id).toBe(checks[0]?.checkRun?.id);
    expect(checks[2]?.checkRun?.id).toBe(openB?.id);
    expect(checks[1]?.checkRun).toBeUndefined();
    expect(await inProgress(a.id)).toBe(true);
    expect(await inProgress(down.id)).toBe(false);
    const runs = await h.sql.query(
      'SELECT count(*)::int AS n FROM check_run WHERE service_id = $1',
      [down.id],
    );
    expect(runs.rows[0].n).toBe(0);
  });

  it("answers each check with its service's settings as they are now, as GetService answers the runner", async () => {
    const s = (await seedService(h, { username: 'svc', password: 'hunter2' })).service;
    // A failed check's text is the white team's only: a runner gets the service without it.
    await h.scoring.insertServiceScore({
      serviceId: s.id,
      result: 0,
      errorMsg: 'banner: v1.2-secret',
    });
    const { service: before } = await h.admin.getService({ id: s.id });
    expect(before?.lastScanError).toBe('banner: v1.2-secret');
    await h.admin.updateService({
      service: { ...before!, url: 'http://moved.example', password: 'rotated' },
      updateMask: ['url', 'password'],
    });
    const { secret } = await h.tokens.createToken({
      name: `runner-settings-${s.id}`,
      role: Role.ROLE_CHECK_RUNNER,
      subtypes: [],
      serviceIds: [],
    });
    const runner = connect(h.app.address, secret);
    try {
      const { checks } = await runner.scoring.startServiceChecks({ serviceIds: [s.id] });
      const { service: asked } = await runner.admin.getService({ id: s.id });
      // A check runner needs the credentials to log in: it gets them, as from GetService.
      expect(checks[0]?.service).toMatchObject({
        id: s.id,
        url: 'http://moved.example',
        username: 'svc',
        password: 'rotated',
      });
      expect(checks[0]?.service?.lastScanError).toBeUndefined();
      // Its status now shows the run just opened, as GetService's does.
      expect(checks[0]?.service).toEqual(asked);
      expect(asked?.inProgress).toBe(true);
    } finally {
      runner.close();
    }
  });

  it("sends services only up to its budget: the rest start without theirs, well under a client's limit", async () => {
    // 100 services of about 16 KiB each: about 1.6 MiB, past the 1 MiB budget.
    const long = (c: string) => c.repeat(4000);
    const { teamId } = await seedService(h);
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) {
      const { service } = await h.admin.createService({
        service: serviceDraft(teamId, {
          subtype: `big-${i}`,
          url: `http://${'u'.repeat(3900)}.example/${i}`,
          teamSpecificInfo: long('t'),
          httpString: long('h'),
          downReason: long('d'),
        }),
      });
      ids.push(service!.id);
    }
    const { checks } = await h.scoring.startServiceChecks({ serviceIds: ids });
    const sent = checks.filter((c) => c.service !== undefined);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(ids.length);
    // In request order: the first ones carry their service, the rest none; every run opened.
    expect(checks.slice(0, sent.length).every((c) => c.service?.id === c.serviceId)).toBe(true);
    expect(checks.slice(sent.length).every((c) => c.service === undefined)).toBe(true);
    expect(checks.every((c) => (c.checkRun?.id ?? 0) > 0)).toBe(true);
    const bytes = sent.reduce((n, c) => n + Service.encode(c.service!).finish().length, 0);
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
  });

  it('gives concurrent batches over the same services one run each', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await seedService(h)).service.id);
    const calls = await Promise.all(
      Array.from({ length: 6 }, () => h.scoring.startServiceChecks({ serviceIds: ids })),
    );
    for (const [i, id] of ids.entries()) {
      const runIds = new Set(calls.map((c) => c.checks[i]?.checkRun?.id));
      expect(runIds.size).toBe(1);
      expect(calls.filter((c) => c.checks[i]?.alreadyInProgress === false)).toHaveLength(1);
      const runs = await h.sql.query(
        'SELECT count(*)::int AS n FROM check_run WHERE service_id = $1',
        [id],
      );
      expect(runs.rows[0].n).toBe(1);
    }
  });

  it('refuses the whole call for an unknown service or a bad id, writing nothing', async () => {
    const a = (await seedService(h)).service;
    const before = await h.count('check_run');
    expect(await grpcError(h.scoring.startServiceChecks({ serviceIds: [a.id, 999_999] }))).toEqual({
      code: status.NOT_FOUND,
      details: 'service_ids[1]: service 999999 not found',
    });
    expect(await grpcError(h.scoring.startServiceChecks({ serviceIds: [a.id, 0] }))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'service_ids[1]: must be a positive id, got 0',
    });
    expect(await grpcError(h.scoring.startServiceChecks({ serviceIds: [] }))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'service_ids: must hold 1..10000 items, got 0',
    });
    expect(await h.count('check_run')).toBe(before);
    expect(await inProgress(a.id)).toBe(false);
  });
});

describe('FinishServiceChecks', () => {
  it('scores, records the error and closes the run of each check, in one call', async () => {
    const ok = (await seedService(h)).service;
    const bad = (await seedService(h, { scoreCap: 5 })).service;
    const { checks: started } = await h.scoring.startServiceChecks({ serviceIds: [ok.id, bad.id] });

    const { checks } = await h.scoring.finishServiceChecks({
      entries: [
        { serviceId: ok.id, result: 1, requestId: 'round-1', checkRunId: started[0]!.checkRun!.id },
        {
          serviceId: bad.id,
          checkRunId: started[1]!.checkRun!.id,
          result: 9,
          errorMsg: 'no answer in 2 s',
          requestId: 'round-1',
          error: { kind: TIMEOUT, message: 'no answer in 2 s', detail: 'connect 10.0.0.1:22' },
        },
      ],
    });
    expect(checks[0]).toMatchObject({
      serviceId: ok.id,
      replayed: false,
      administrativelyDown: false,
      score: { result: 1, checkRunId: started[0]?.checkRun?.id, requestId: 'round-1' },
      checkRun: { id: started[0]?.checkRun?.id },
    });
    expect(checks[0]?.serviceError).toBeUndefined();
    expect(checks[0]?.checkRun?.finishedAt).toBeInstanceOf(Date);
    expect(checks[1]).toMatchObject({
      serviceId: bad.id,
      score: { result: 5, submittedResult: 9, capped: true, errorMsg: 'no answer in 2 s' },
      serviceError: {
        kind: TIMEOUT,
        message: 'no answer in 2 s',
        detail: 'connect 10.0.0.1:22',
        scoreId: checks[1]?.score?.id,
      },
      checkRun: { id: started[1]?.checkRun?.id },
    });
    expect(await inProgress(ok.id)).toBe(false);
    expect(await inProgress(bad.id)).toBe(false);
    const after = (await h.admin.getService({ id: bad.id })).service;
    expect(after?.lastScan).toBe(5);
    expect(after?.lastScanTime?.getTime()).toBe(checks[1]?.score?.createdAt?.getTime());
  });

  it('writes nothing twice when retried, and still answers with the first score', async () => {
    const s = (await seedService(h)).service;
    const { checks: started } = await h.scoring.startServiceChecks({ serviceIds: [s.id] });
    const entry = {
      serviceId: s.id,
      checkRunId: started[0]!.checkRun!.id,
      result: 0,
      requestId: 'round-2',
      error: { kind: TIMEOUT, message: 'slow', detail: '' },
    };
    const first = await h.scoring.finishServiceChecks({ entries: [entry] });
    const scores = await h.count('score');
    const errors = await h.count('service_error');
    const again = await h.scoring.finishServiceChecks({ entries: [entry] });
    expect(again.checks[0]).toMatchObject({
      replayed: true,
      score: { id: first.checks[0]?.score?.id },
    });
    expect(again.checks[0]?.serviceError).toBeUndefined();
    expect(again.checks[0]?.checkRun).toBeUndefined();
    expect(await h.count('score')).toBe(scores);
    expect(await h.count('service_error')).toBe(errors);
  });

  it("leaves a later check's run alone: a replay and a check without a run close nothing", async () => {
    const s = (await seedService(h)).service;
    const first = (await h.scoring.startServiceChecks({ serviceIds: [s.id] })).checks[0]!;
    const entry = {
      serviceId: s.id,
      checkRunId: first.checkRun!.id,
      result: 1,
      requestId: 'round-5',
    };
    await h.scoring.finishServiceChecks({ entries: [entry] });
    const later = (await h.scoring.startServiceChecks({ serviceIds: [s.id] })).checks[0]!;
    expect(later.checkRun!.id).not.toBe(first.checkRun!.id);
    // The first check's answer was lost; its runner sends it again.
    const replay = await h.scoring.finishServiceChecks({ entries: [entry] });
    expect(replay.checks[0]).toMatchObject({ replayed: true });
    expect(replay.checks[0]?.checkRun).toBeUndefined();
    // A check given up on (no run of its own) scores without touching the open run.
    const { checks } = await h.scoring.finishServiceChecks({
      entries: [{ serviceId: s.id, checkRunId: 0, result: 0, requestId: 'round-4-gave-up' }],
    });
    expect(checks[0]?.score?.checkRunId).toBeUndefined();
    expect(checks[0]?.checkRun).toBeUndefined();
    expect(await inProgress(s.id)).toBe(true);
    const { rows } = await h.sql.query('SELECT finished_at FROM check_run WHERE id = $1', [
      later.checkRun!.id,
    ]);
    expect(rows[0].finished_at).toBeNull();
    // The later check's own finish closes it and links its score to it.
    const own = await h.scoring.finishServiceChecks({
      entries: [
        { serviceId: s.id, checkRunId: later.checkRun!.id, result: 1, requestId: 'round-6' },
      ],
    });
    expect(own.checks[0]?.score?.checkRunId).toBe(later.checkRun!.id);
    expect(own.checks[0]?.checkRun?.id).toBe(later.checkRun!.id);
    expect(await inProgress(s.id)).toBe(false);
  });

  it('closes the run of a service taken down mid-check without scoring it', async () => {
    const s = (await seedService(h)).service;
    const { checks: started } = await h.scoring.startServiceChecks({ serviceIds: [s.id] });
    await h.admin.updateService({
      service: { ...s, administrativelyDown: true, downReason: 'maintenance' },
      updateMask: ['administratively_down', 'down_reason'],
    });
    // Started again while down: no new run, the open one is returned for closing.
    const again = (await h.scoring.startServiceChecks({ serviceIds: [s.id] })).checks[0]!;
    expect(again).toMatchObject({ administrativelyDown: true, alreadyInProgress: true });
    expect(again.checkRun?.id).toBe(started[0]!.checkRun!.id);
    const scores = await h.count('score');
    const { checks } = await h.scoring.finishServiceChecks({
      entries: [
        { serviceId: s.id, checkRunId: started[0]!.checkRun!.id, result: 1, requestId: 'round-3' },
      ],
    });
    expect(checks[0]).toMatchObject({ administrativelyDown: true, replayed: false });
    expect(checks[0]?.score).toBeUndefined();
    expect(checks[0]?.checkRun?.finishedAt).toBeInstanceOf(Date);
    expect(await h.count('score')).toBe(scores);
    expect(await inProgress(s.id)).toBe(false);
  });

  it('is all or nothing: an unknown service or a bad entry writes nothing and closes nothing', async () => {
    const s = (await seedService(h)).service;
    const { checks: started } = await h.scoring.startServiceChecks({ serviceIds: [s.id] });
    const good = {
      serviceId: s.id,
      checkRunId: started[0]!.checkRun!.id,
      result: 1,
      requestId: 'round-4',
    };
    const before = [await h.count('score'), await h.count('service_error')];
    expect(
      await grpcError(
        h.scoring.finishServiceChecks({
          entries: [good, { serviceId: 999_999, checkRunId: 0, result: 1, requestId: 'round-4' }],
        }),
      ),
    ).toEqual({
      code: status.NOT_FOUND,
      details: 'entries[1].service_id: service 999999 not found',
    });
    expect(
      await grpcError(
        h.scoring.finishServiceChecks({
          entries: [good, { ...good, requestId: '' }],
        }),
      ),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'entries[1].request_id: is required (it makes a retry safe)',
    });
    expect(
      await grpcError(
        h.scoring.finishServiceChecks({
          entries: [good, { ...good, error: { kind: 0, message: 'x', detail: '' } }],
        }),
      ),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details:
        'entries[1].error.kind: must be one of TIMEOUT, CONTENT, CREDENTIALS, CONNECTION, OTHER',
    });
    expect(
      await grpcError(
        h.scoring.finishServiceChecks({
          entries: [{ ...good, error: { kind: TIMEOUT, message: '', detail: '' } }],
        }),
      ),
    ).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect([await h.count('score'), await h.count('service_error')]).toEqual(before);
    expect(await inProgress(s.id)).toBe(true);
  });
});

describe('answers to check runners', () => {
  it('echo what the runner sent, but keep a replayed score’s stored error text for admins', async () => {
    const s = (await seedService(h)).service;
    const { secret } = await h.tokens.createToken({
      name: `runner-${s.id}`,
      role: Role.ROLE_CHECK_RUNNER,
      subtypes: [],
      serviceIds: [],
    });
    const runner = connect(h.app.address, secret);
    try {
      const entry = {
        serviceId: s.id,
        checkRunId: 0,
        result: 0,
        errorMsg: 'banner: SSH-2.0-team7-secret-build',
        requestId: 'round-echo',
      };
      const first = await runner.scoring.finishServiceChecks({ entries: [entry] });
      expect(first.checks[0]?.score?.errorMsg).toBe(entry.errorMsg);
      const replay = await runner.scoring.finishServiceChecks({
        entries: [{ ...entry, errorMsg: 'something else' }],
      });
      expect(replay.checks[0]).toMatchObject({ replayed: true });
      expect(replay.checks[0]?.score?.errorMsg).toBeUndefined();
      const single = await runner.scoring.insertServiceScore({
        serviceId: s.id,
        result: 0,
        requestId: 'round-echo',
      });
      expect(single.replayed).toBe(true);
      expect(single.score?.errorMsg).toBeUndefined();
      const asAdmin = await h.scoring.insertServiceScore({
        serviceId: s.id,
        result: 0,
        requestId: 'round-echo',
      });
      expect(asAdmin.score?.errorMsg).toBe(entry.errorMsg);
    } finally {
      runner.close();
    }
  });
});

describe('batches and limited check runners', () => {
  it('refuse services outside a runner token’s limits, writing nothing', async () => {
    const dns = (await seedService(h, { subtype: 'DNS' })).service;
    const web = (await seedService(h, { subtype: 'HTTP' })).service;
    const { secret } = await h.tokens.createToken({
      name: `dns-only-${dns.id}`,
      role: Role.ROLE_CHECK_RUNNER,
      subtypes: ['DNS'],
      serviceIds: [],
    });
    const runner = connect(h.app.address, secret);
    try {
      const before = await h.count('check_run');
      expect(
        await grpcError(runner.scoring.startServiceChecks({ serviceIds: [dns.id, web.id] })),
      ).toEqual({
        code: status.PERMISSION_DENIED,
        details: `this check_runner token may not score service ${web.id}; it is limited to subtypes DNS`,
      });
      // A service that does not exist is refused the same way: nothing says whether it exists.
      expect(
        await grpcError(runner.scoring.startServiceChecks({ serviceIds: [dns.id, 999_999] })),
      ).toEqual({
        code: status.PERMISSION_DENIED,
        details: `this check_runner token may not score service 999999; it is limited to subtypes DNS`,
      });
      expect(await h.count('check_run')).toBe(before);
      const { checks } = await runner.scoring.startServiceChecks({ serviceIds: [dns.id] });
      expect(checks[0]?.checkRun?.serviceId).toBe(dns.id);
      expect(
        (
          await grpcError(
            runner.scoring.finishServiceChecks({
              entries: [{ serviceId: web.id, checkRunId: 0, result: 1, requestId: 'r' }],
            }),
          )
        ).code,
      ).toBe(status.PERMISSION_DENIED);
    } finally {
      runner.close();
    }
  });

  it("refuse an entry naming another service's run, writing nothing", async () => {
    const mine = (await seedService(h, { subtype: 'DNS' })).service;
    const theirs = (await seedService(h, { subtype: 'HTTP' })).service;
    const { secret } = await h.tokens.createToken({
      name: `dns-only-runs-${mine.id}`,
      role: Role.ROLE_CHECK_RUNNER,
      subtypes: ['DNS'],
      serviceIds: [],
    });
    const runner = connect(h.app.address, secret);
    try {
      const { checks } = await h.scoring.startServiceChecks({ serviceIds: [mine.id, theirs.id] });
      const theirRun = checks[1]!.checkRun!.id;
      const before = await tableFingerprint(h.sql);
      const entry = (checkRunId: number) => ({
        serviceId: mine.id,
        checkRunId,
        result: 1,
        requestId: `steal-${checkRunId}`,
      });
      for (const client of [runner, h]) {
        expect(
          await grpcError(
            client.scoring.finishServiceChecks({
              entries: [entry(checks[0]!.checkRun!.id), entry(theirRun)],
            }),
          ),
        ).toEqual({
          code: status.INVALID_ARGUMENT,
          details: `entries[1].check_run_id: run ${theirRun} is not a run of service ${mine.id}`,
        });
      }
      // A run that does not exist is refused the same way (nothing says whether it exists).
      expect(
        await grpcError(runner.scoring.finishServiceChecks({ entries: [entry(987_654_321)] })),
      ).toEqual({
        code: status.INVALID_ARGUMENT,
        details: `entries[0].check_run_id: run 987654321 is not a run of service ${mine.id}`,
      });
      expect(await tableFingerprint(h.sql)).toEqual(before);
      expect(await inProgress(theirs.id)).toBe(true);
    } finally {
      runner.close();
    }
  });

  it('let a scheduler token record give-ups only (result 0, no run), writing nothing else', async () => {
    const s = (await seedService(h)).service;
    const { secret } = await h.tokens.createToken({
      name: `scheduler-${s.id}`,
      role: Role.ROLE_SCHEDULER,
    });
    const scheduler = connect(h.app.address, secret);
    try {
      const { checks } = await h.scoring.startServiceChecks({ serviceIds: [s.id] });
      const before = await tableFingerprint(h.sql);
      const refusal = (i: number) => ({
        code: status.PERMISSION_DENIED,
        details: `a scheduler token may only record give-ups (result 0, check_run_id 0); entries[${i}] is not one`,
      });
      const giveUp = { serviceId: s.id, checkRunId: 0, result: 0, requestId: 'gave-up' };
      expect(
        await grpcError(
          scheduler.scoring.finishServiceChecks({ entries: [giveUp, { ...giveUp, result: 5 }] }),
        ),
      ).toEqual(refusal(1));
      expect(
        await grpcError(
          scheduler.scoring.finishServiceChecks({
            entries: [{ ...giveUp, checkRunId: checks[0]!.checkRun!.id }],
          }),
        ),
      ).toEqual(refusal(0));
      expect(
        (await grpcError(scheduler.scoring.insertServiceScore({ serviceId: s.id, result: 0 })))
          .code,
      ).toBe(status.PERMISSION_DENIED);
      expect(await tableFingerprint(h.sql)).toEqual(before);
      const { checks: given } = await scheduler.scoring.finishServiceChecks({ entries: [giveUp] });
      expect(given[0]?.score?.result).toBe(0);
    } finally {
      scheduler.close();
    }
  });
});
