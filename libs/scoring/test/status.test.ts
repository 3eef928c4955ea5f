import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceErrorKind, type WatchServiceStatusResponse } from '@checkwire/proto';
import { ScoringApp } from '../src/index.js';
import { connect, grpcError, seedService, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe('ListScores', () => {
  it('pages newest first and filters by service, team and time', async () => {
    const a = await seedService(h);
    const b = await seedService(h);
    for (let i = 0; i < 5; i++)
      await h.scoring.insertServiceScore({ serviceId: a.service.id, result: i });
    const midpoint = new Date();
    await new Promise((r) => setTimeout(r, 5));
    await h.scoring.insertServiceScore({ serviceId: b.service.id, result: 100 });

    const page1 = await h.status.listScores({
      serviceId: a.service.id,
      pageSize: 2,
      pageToken: '',
    });
    expect(page1.scores.map((s) => s.result)).toEqual([4, 3]);
    const page2 = await h.status.listScores({
      serviceId: a.service.id,
      pageSize: 2,
      pageToken: page1.nextPageToken,
    });
    expect(page2.scores.map((s) => s.result)).toEqual([2, 1]);
    const page3 = await h.status.listScores({
      serviceId: a.service.id,
      pageSize: 2,
      pageToken: page2.nextPageToken,
    });
    expect(page3.scores.map((s) => s.result)).toEqual([0]);
    expect(page3.nextPageToken).toBe('');

    const byTeam = await h.status.listScores({ teamId: b.teamId, pageSize: 0, pageToken: '' });
    expect(byTeam.scores.map((s) => s.result)).toEqual([100]);
    const since = await h.status.listScores({ since: midpoint, pageSize: 0, pageToken: '' });
    expect(since.scores.map((s) => s.result)).toEqual([100]);
    const until = await h.status.listScores({
      serviceId: b.service.id,
      until: midpoint,
      pageSize: 0,
      pageToken: '',
    });
    expect(until.scores).toEqual([]);
  });

  it('refuses a malformed page token and an out-of-range page size', async () => {
    expect(await grpcError(h.status.listScores({ pageSize: 0, pageToken: 'garbage' }))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'page_token: malformed; pass next_page_token back unchanged',
    });
    expect(await grpcError(h.status.listScores({ pageSize: 5000, pageToken: '' }))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'page_size: must be 1..1000 (0 means 100), got 5000',
    });
  });
});

describe('ListServiceErrors', () => {
  it('filters by service, team and kind', async () => {
    const a = await seedService(h);
    const b = await seedService(h);
    const sa = (await h.scoring.insertServiceScore({ serviceId: a.service.id, result: 0 })).score!;
    const sb = (await h.scoring.insertServiceScore({ serviceId: b.service.id, result: 0 })).score!;
    const report = (scoreId: number, kind: ServiceErrorKind, message: string) =>
      h.scoring.reportServiceError({ scoreId, kind, message, detail: '' });
    await report(sa.id, ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT, 'a-timeout');
    await report(sa.id, ServiceErrorKind.SERVICE_ERROR_KIND_CREDENTIALS, 'a-creds');
    await report(sb.id, ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT, 'b-timeout');

    const all = {
      pageSize: 0,
      pageToken: '',
      kind: ServiceErrorKind.SERVICE_ERROR_KIND_UNSPECIFIED,
    };
    const byService = await h.status.listServiceErrors({ ...all, serviceId: a.service.id });
    expect(byService.serviceErrors.map((e) => e.message)).toEqual(['a-creds', 'a-timeout']);
    const byTeam = await h.status.listServiceErrors({ ...all, teamId: b.teamId });
    expect(byTeam.serviceErrors.map((e) => e.message)).toEqual(['b-timeout']);
    const timeouts = await h.status.listServiceErrors({
      ...all,
      kind: ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT,
    });
    expect(timeouts.serviceErrors.map((e) => e.message).slice(0, 2)).toEqual([
      'b-timeout',
      'a-timeout',
    ]);
    expect(
      await grpcError(h.status.listServiceErrors({ ...all, kind: 17 as ServiceErrorKind })),
    ).toEqual({ code: status.INVALID_ARGUMENT, details: 'kind: unknown value 17' });
    // A NUL byte cannot reach PostgreSQL: refused by name, not an internal error (found by fuzzing).
    expect(await grpcError(h.status.listServiceErrors({ ...all, subtype: 'we\u0000b' }))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'subtype: must not contain NUL (\\u0000) characters',
    });
    // Nor a time the database cannot hold (a protobuf Timestamp can carry any seconds).
    expect(
      await grpcError(
        h.status.listServiceErrors({ ...all, since: new Date('+100000-01-01T00:00:00Z') }),
      ),
    ).toEqual({
      code: status.INVALID_ARGUMENT,
      details:
        'since: must be a time between 0001-01-01 and 9999-12-31 (UTC), got +100000-01-01T00:00:00.000Z',
    });
  });

  it('filters by subtype, and names each error’s team, service and check trace', async () => {
    const { teamId, service } = await seedService(h, { subtype: 'IMAP', name: 'mail', port: 143 });
    await h.scoring.insertServiceScoreInProgress({ serviceId: service.id });
    const inRun = (await h.scoring.insertServiceScore({ serviceId: service.id, result: 0 })).score!;
    await h.scoring.insertServiceScoreDone({ serviceId: service.id });
    const outside = (await h.scoring.insertServiceScore({ serviceId: service.id, result: 0 }))
      .score!;
    for (const [score, message] of [
      [inRun, 'during the check'],
      [outside, 'outside any check'],
    ] as const) {
      await h.scoring.reportServiceError({
        scoreId: score.id,
        kind: ServiceErrorKind.SERVICE_ERROR_KIND_CONTENT,
        message,
        detail: '',
      });
    }
    const { serviceErrors } = await h.status.listServiceErrors({
      pageSize: 0,
      pageToken: '',
      kind: ServiceErrorKind.SERVICE_ERROR_KIND_UNSPECIFIED,
      subtype: 'IMAP',
    });
    expect(serviceErrors.map((e) => [e.message, e.teamId, e.subtype, e.serviceName])).toEqual([
      ['outside any check', teamId, 'IMAP', 'mail'],
      ['during the check', teamId, 'IMAP', 'mail'],
    ]);
    // The score written during the run carries the run's trace; the other has none.
    const { rows } = await h.sql.query('SELECT trace_id FROM check_run WHERE service_id = $1', [
      service.id,
    ]);
    expect(serviceErrors[1]!.traceId).toBe(rows[0].trace_id);
    expect(serviceErrors[1]!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(serviceErrors[0]!.traceId).toBe('');
  });
});

describe('ListServiceStatus', () => {
  it('shows what a status page needs, spinner included, per team', async () => {
    const { teamId, service } = await seedService(h, { subtype: 'DNS', port: 53, name: 'ns1' });
    await h.scoring.insertServiceScoreInProgress({ serviceId: service.id });
    await h.scoring.insertServiceScore({ serviceId: service.id, result: 42, errorMsg: 'slow' });
    const { statuses } = await h.status.listServiceStatus({ teamId });
    expect(statuses).toHaveLength(1);
    expect(statuses[0]).toMatchObject({
      serviceId: service.id,
      teamId,
      subtype: 'DNS',
      name: 'ns1',
      port: 53,
      inProgress: true,
      lastScan: 42,
      lastScanError: 'slow',
      administrativelyDown: false,
    });
    expect(statuses[0]?.version).toBeGreaterThan(1);
  });
});

/** Reads a watch stream into an array and lets a test wait for what it expects. */
function record(stream: AsyncIterable<WatchServiceStatusResponse>) {
  const events: WatchServiceStatusResponse[] = [];
  const waiters: (() => void)[] = [];
  let error: unknown;
  const done = (async () => {
    try {
      for await (const e of stream) {
        events.push(e);
        waiters.splice(0).forEach((w) => w());
      }
    } catch (err) {
      error = err;
      waiters.splice(0).forEach((w) => w());
    }
  })();
  return {
    events,
    done,
    get error() {
      return error;
    },
    /** Resolves when `predicate` holds over the events received so far. */
    async until(predicate: (events: WatchServiceStatusResponse[]) => boolean): Promise<void> {
      const deadline = Date.now() + 10_000;
      while (!predicate(events)) {
        if (error !== undefined) throw error instanceof Error ? error : new Error('watch failed');
        if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
  };
}

const changesOf = (events: WatchServiceStatusResponse[], serviceId: number) =>
  events.flatMap((e) =>
    e.event?.$case === 'change' && e.event.value.serviceId === serviceId ? [e.event.value] : [],
  );

describe('WatchServiceStatus', () => {
  it('sends every status once, then changes made through another replica', async () => {
    const { teamId, service } = await seedService(h);
    const other = await seedService(h);
    // A second replica on the same database: the change is made there, watched here.
    const replica = await ScoringApp.start({ databaseUrl: h.database.url });
    const remote = connect(replica.address, h.adminToken);
    const controller = new AbortController();
    try {
      const watch = record(
        h.status.watchServiceStatus({ teamId }, { signal: controller.signal, deadlineMs: 60_000 }),
      );
      await watch.until((ev) => ev.some((e) => e.event?.$case === 'snapshotComplete'));
      expect(watch.events.map((e) => e.event?.$case)).toEqual(['initial', 'snapshotComplete']);
      const initial = watch.events[0]?.event;
      expect(initial?.$case === 'initial' && initial.value.serviceId).toBe(service.id);

      await remote.scoring.insertServiceScoreInProgress({ serviceId: service.id });
      await watch.until((ev) => changesOf(ev, service.id).some((s) => s.inProgress));

      await remote.scoring.insertServiceScore({ serviceId: service.id, result: 7 });
      await watch.until((ev) => changesOf(ev, service.id).some((s) => s.lastScan === 7));

      await remote.scoring.insertServiceScoreDone({ serviceId: service.id });
      await watch.until((ev) =>
        changesOf(ev, service.id).some((s) => s.lastScan === 7 && !s.inProgress),
      );

      await remote.admin.updateService({
        service: { ...service, administrativelyDown: true, downReason: 'db down' },
        updateMask: ['administratively_down', 'down_reason'],
      });
      await watch.until((ev) =>
        changesOf(ev, service.id).some((s) => s.administrativelyDown && s.downReason === 'db down'),
      );

      // Versions only grow, and another team's service never shows up in this team's watch.
      const versions = changesOf(watch.events, service.id).map((s) => s.version);
      expect([...versions].sort((x, y) => x - y)).toEqual(versions);
      expect(new Set(versions).size).toBe(versions.length);
      await remote.admin.updateService({
        service: { ...service, administrativelyDown: false },
        updateMask: ['administratively_down'],
      });
      await remote.scoring.insertServiceScore({ serviceId: other.service.id, result: 1 });
      await remote.scoring.insertServiceScore({ serviceId: service.id, result: 8 });
      await watch.until((ev) => changesOf(ev, service.id).some((s) => s.lastScan === 8));
      expect(changesOf(watch.events, other.service.id)).toEqual([]);
    } finally {
      controller.abort();
      remote.close();
      await replica.stop();
    }
  });

  it('ends open watch streams cleanly when the server stops', async () => {
    const replica = await ScoringApp.start({ databaseUrl: h.database.url });
    const client = connect(replica.address, h.adminToken);
    const watch = record(client.status.watchServiceStatus({}, { deadlineMs: 60_000 }));
    await watch.until((ev) => ev.some((e) => e.event?.$case === 'snapshotComplete'));
    await replica.stop();
    await watch.done;
    expect(watch.error).toBeUndefined();
    client.close();
  });

  it('heals: a change nobody announced reaches watchers at the next resync', async () => {
    const replica = await ScoringApp.start({ databaseUrl: h.database.url, statusResyncMs: 200 });
    const client = connect(replica.address, h.adminToken);
    const { teamId, service } = await seedService(h);
    const controller = new AbortController();
    try {
      const watch = record(
        client.status.watchServiceStatus(
          { teamId },
          { signal: controller.signal, deadlineMs: 60_000 },
        ),
      );
      await watch.until((ev) => ev.some((e) => e.event?.$case === 'snapshotComplete'));
      // Written behind Checkwire's back, as if the writing replica died before announcing it.
      await h.sql.query('UPDATE service SET down_reason = $1 WHERE id = $2', [
        'manual',
        service.id,
      ]);
      await watch.until((ev) => changesOf(ev, service.id).some((s) => s.downReason === 'manual'));
    } finally {
      controller.abort();
      client.close();
      await replica.stop();
    }
  });

  it('ends watch streams with UNAVAILABLE when the database connection feeding them is lost', async () => {
    const replica = await ScoringApp.start({ databaseUrl: h.database.url });
    const client = connect(replica.address, h.adminToken);
    try {
      const watch = record(client.status.watchServiceStatus({}, { deadlineMs: 60_000 }));
      await watch.until((ev) => ev.some((e) => e.event?.$case === 'snapshotComplete'));
      await h.sql.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'checkwire-listener' AND datname = current_database()`,
      );
      await watch.done;
      expect(watch.error).toMatchObject({
        code: status.UNAVAILABLE,
        details: 'the status feed lost its database connection; watch again for a fresh snapshot',
      });
      // The listener reconnects: a new watch works and sees changes again.
      const { teamId, service } = await seedService(h);
      for (let listening = 0; listening === 0;) {
        await new Promise((r) => setTimeout(r, 50));
        const { rows } = await h.sql.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE application_name = 'checkwire-listener' AND datname = current_database()`,
        );
        listening = rows[0].n;
      }
      const again = record(client.status.watchServiceStatus({ teamId }, { deadlineMs: 60_000 }));
      await again.until((ev) => ev.some((e) => e.event?.$case === 'snapshotComplete'));
      await h.scoring.insertServiceScore({ serviceId: service.id, result: 3 });
      await again.until((ev) => changesOf(ev, service.id).some((s) => s.lastScan === 3));
    } finally {
      client.close();
      await replica.stop();
    }
  });
});
