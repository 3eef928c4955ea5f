import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Metadata, status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient, TRACE_ID_METADATA_KEY } from '@checkwire/grpc';
import { startApp, stopApp, type RunningApp } from '@checkwire/proc';
import {
  AdminServiceService,
  Role,
  ScoringServiceService,
  TokenServiceService,
  ServiceErrorKind,
  type Service,
} from '@checkwire/proto';
import {
  FREE_METRICS_PORTS,
  createTestDatabase,
  OtlpReceiver,
  serviceDraft,
  type ReceivedSpan,
  type TestDatabase,
} from '@checkwire/testing';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let receiver: OtlpReceiver;
let database: TestDatabase;
const running: RunningApp[] = [];

beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const app of running) await stopApp(app);
  await receiver.stop();
  await database.drop();
});

/** apps/scoring as its own process, exporting OTLP to the in-process receiver. */
async function startScoring(extraEnv: Record<string, string> = {}): Promise<RunningApp> {
  const app = await startApp(
    {
      name: 'scoring',
      entry: 'apps/scoring/src/main.ts',
      ready: /listening on ([^\s"]+)/,
      echo: false,
      cwd: root,
    },
    {
      ...process.env,
      ...FREE_METRICS_PORTS,
      DATABASE_URL: database.url,
      SCORING_PORT: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      ...extraEnv,
    },
  );
  running.push(app);
  // The first app over the empty database prints the bootstrap admin token before it listens.
  const printed = app.output.join('\n').match(/CHECKWIRE_TOKEN=(\S+)/)?.[1];
  if (printed !== undefined) adminToken = printed;
  return app;
}

let adminToken: string | undefined;

function clients(address: string) {
  const token = adminToken;
  if (token === undefined) throw new Error('no app printed a bootstrap admin token');
  return {
    scoring: createPromiseClient(ScoringServiceService, address, { token }),
    admin: createPromiseClient(AdminServiceService, address, { token }),
    close() {
      this.scoring.close();
      this.admin.close();
    },
  };
}

async function newService(address: string, name: string): Promise<Service> {
  const c = clients(address);
  const { team } = await c.admin.createTeam({ name });
  const { service } = await c.admin.createService({
    service: serviceDraft(team!.id, { url: 'http://10.0.0.1', password: 'hunter2', scoreCap: 50 }),
  });
  c.close();
  return service!;
}

/** Calls with a metadata hook and returns the response plus the trace id it named. */
async function traced<T>(
  call: (opts: { onMetadata: (m: Metadata) => void; metadata?: Metadata }) => Promise<T>,
  metadata?: Metadata,
): Promise<{ res: T; traceId: string | undefined }> {
  let traceId: string | undefined;
  const res = await call({
    onMetadata: (m) => (traceId = m.get(TRACE_ID_METADATA_KEY)[0]?.toString() ?? traceId),
    ...(metadata === undefined ? {} : { metadata }),
  });
  return { res, traceId };
}

const checkSpans = (spans: ReceivedSpan[], traceId: string) =>
  spans.filter((s) => s.name === 'check' && s.traceId === traceId);

describe('check spans', () => {
  it('records one check span from in progress to done, parented to the caller, with its work inside', async () => {
    const app = await startScoring();
    const service = await newService(app.address, 'trace-one');
    const { scoring } = clients(app.address);
    const callerTrace = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const md = new Metadata();
    md.set('traceparent', `00-${callerTrace}-${callerSpan}-01`);

    const started = await traced(
      (o) => scoring.insertServiceScoreInProgress({ serviceId: service.id }, o),
      md,
    );
    const scored = await traced((o) =>
      scoring.insertServiceScore({ serviceId: service.id, result: 80 }, o),
    );
    const reported = await traced((o) =>
      scoring.reportServiceError(
        {
          scoreId: scored.res.score!.id,
          kind: ServiceErrorKind.SERVICE_ERROR_KIND_CONTENT,
          message: 'expected string not found',
          detail: '',
        },
        o,
      ),
    );
    const done = await traced((o) => scoring.insertServiceScoreDone({ serviceId: service.id }, o));
    scoring.close();

    // Every answer names the check's trace: the caller's.
    expect([started.traceId, scored.traceId, reported.traceId, done.traceId]).toEqual([
      callerTrace,
      callerTrace,
      callerTrace,
      callerTrace,
    ]);

    const spans = await receiver.waitFor(
      (all) =>
        checkSpans(all, callerTrace).length === 1 &&
        all.some((s) => s.name === 'checkwire.InsertServiceScoreDone' && s.traceId === callerTrace),
    );
    const [check] = checkSpans(spans, callerTrace);
    expect(check!.parentSpanId).toBe(callerSpan);
    const run = done.res.checkRun!;
    expect(check!.startMs).toBeCloseTo(started.res.checkRun!.startedAt!.getTime(), -1);
    expect(check!.endMs).toBeCloseTo(run.finishedAt!.getTime(), -1);
    expect(check!.attributes).toMatchObject({
      'checkwire.service.id': service.id,
      'checkwire.team.id': service.teamId,
      'checkwire.service.subtype': 'HTTP',
      'checkwire.service.external': true,
      'checkwire.score.result': 50,
      'checkwire.score.capped': true,
      'checkwire.error.kind': 'content',
      'checkwire.check_run.abandoned': false,
    });
    expect(check!.status).toEqual({ code: 2, message: 'service error reported: content' });
    expect(check!.resource).toMatchObject({
      'service.name': 'checkwire',
      'checkwire.app': 'scoring',
    });

    // The work of score, error and done is inside the check span, with its database queries.
    const children = spans.filter((s) => s.parentSpanId === check!.spanId);
    expect(children.map((s) => s.name).sort()).toEqual([
      'checkwire.InsertServiceScore',
      'checkwire.InsertServiceScoreDone',
      'checkwire.InsertServiceScoreInProgress',
      'checkwire.ReportServiceError',
    ]);
    for (const child of children.filter((c) => !c.name.endsWith('InProgress'))) {
      const queries = spans.filter((s) => s.parentSpanId === child.spanId);
      expect(queries.length, child.name).toBeGreaterThan(0);
      expect(queries.some((q) => q.name.startsWith('pg.query'))).toBe(true);
      expect(queries.every((q) => q.name.startsWith('pg'))).toBe(true);
    }
    // Secrets stay out of spans.
    expect(JSON.stringify(spans)).not.toContain('hunter2');
    // Nor the bearer token the calls carried.
    expect(JSON.stringify(spans)).not.toContain(adminToken!.slice(3));
  });

  it('records scores written together in one span linked to each caller, each still in its check', async () => {
    const app = await startScoring();
    const { scoring, admin } = clients(app.address);
    const { team } = await admin.createTeam({ name: 'trace-group' });
    const ids: number[] = [];
    for (let i = 0; i < 16; i++) {
      const { service } = await admin.createService({
        service: serviceDraft(team!.id, { subtype: `group-${i}` }),
      });
      ids.push(service!.id);
    }
    const runs = await Promise.all(
      ids.map((serviceId) => traced((o) => scoring.insertServiceScoreInProgress({ serviceId }, o))),
    );
    // 16 concurrent scores: the server writes those that arrive together in one statement.
    await Promise.all(ids.map((serviceId) => scoring.insertServiceScore({ serviceId, result: 1 })));
    const traces = new Set(runs.map((r) => r.traceId!));
    const scoreSpans = (all: ReceivedSpan[]) =>
      all.filter((s) => s.name === 'checkwire.InsertServiceScore' && traces.has(s.traceId));
    const spans = await receiver.waitFor((all) => scoreSpans(all).length === 16);
    const groups = spans.filter((s) => s.name === 'checkwire.group.InsertServiceScore');
    // Every score is written either alone, its query inside its own span, or in a group span
    // linked to its span; never both, never neither.
    for (const child of scoreSpans(spans)) {
      const alone = spans.some(
        (q) => q.parentSpanId === child.spanId && q.name.startsWith('pg.query'),
      );
      const linking = groups.filter((g) => g.links.some((l) => l.spanId === child.spanId));
      expect(Number(alone) + linking.length, child.traceId).toBe(1);
    }
    for (const g of groups) {
      expect(g.parentSpanId).toBe('');
      expect(g.attributes['checkwire.group.size']).toBe(g.links.length);
      expect(g.links.length).toBeGreaterThan(1);
      const queries = spans.filter((q) => q.parentSpanId === g.spanId);
      expect(queries.map((q) => q.name.startsWith('pg.query'))).toEqual([true]);
    }
    scoring.close();
    admin.close();
  });

  it('holds across replicas and a restart between in progress and done', async () => {
    const a = await startScoring();
    const b = await startScoring();
    const service = await newService(a.address, 'trace-replicas');
    const onA = clients(a.address);
    const started = await traced((o) =>
      onA.scoring.insertServiceScoreInProgress({ serviceId: service.id }, o),
    );
    onA.close();
    const traceId = started.traceId!;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    // A goes away; its successor and B finish the check.
    await stopApp(a);
    // A drained and exited cleanly (flushing its spans) rather than being cut off.
    expect(await a.exited).toBe(0);
    const a2 = await startScoring();
    const onB = clients(b.address);
    const scored = await traced((o) =>
      onB.scoring.insertServiceScore({ serviceId: service.id, result: 10 }, o),
    );
    onB.close();
    const onA2 = clients(a2.address);
    const done = await traced((o) =>
      onA2.scoring.insertServiceScoreDone({ serviceId: service.id }, o),
    );
    onA2.close();
    expect([scored.traceId, done.traceId]).toEqual([traceId, traceId]);

    const spans = await receiver.waitFor(
      (all) =>
        checkSpans(all, traceId).length === 1 &&
        all.some((s) => s.name === 'checkwire.InsertServiceScoreDone' && s.traceId === traceId),
    );
    const [check] = checkSpans(spans, traceId);
    expect(check!.parentSpanId).toBe('');
    expect(check!.startMs).toBeCloseTo(started.res.checkRun!.startedAt!.getTime(), -1);
    expect(check!.endMs).toBeCloseTo(done.res.checkRun!.finishedAt!.getTime(), -1);
    expect(check!.status.code).toBe(0);
    expect(check!.attributes['checkwire.score.result']).toBe(10);
    const children = spans.filter((s) => s.parentSpanId === check!.spanId);
    expect(children.map((s) => s.name).sort()).toEqual([
      'checkwire.InsertServiceScore',
      'checkwire.InsertServiceScoreDone',
      'checkwire.InsertServiceScoreInProgress',
    ]);
    // Recorded by three processes: A, B, and A's successor.
    expect(new Set(children.map((s) => s.resource['service.instance.id'])).size).toBe(3);
  });

  it('gives each check of a batch its own trace, with the batch calls inside', async () => {
    const app = await startScoring();
    const up = await newService(app.address, 'trace-batch-up');
    const failing = await newService(app.address, 'trace-batch-failing');
    const { scoring } = clients(app.address);
    const { checks: started } = await scoring.startServiceChecks({
      serviceIds: [up.id, failing.id],
    });
    const traceIds = started.map((c) => c.traceId);
    expect(traceIds.every((t) => /^[0-9a-f]{32}$/.test(t))).toBe(true);
    expect(new Set(traceIds).size).toBe(2);
    await scoring.finishServiceChecks({
      entries: [
        { serviceId: up.id, checkRunId: started[0]!.checkRun!.id, result: 1, requestId: 'batch-1' },
        {
          serviceId: failing.id,
          checkRunId: started[1]!.checkRun!.id,
          result: 0,
          requestId: 'batch-1',
          error: {
            kind: ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT,
            message: 'no answer',
            detail: '',
          },
        },
      ],
    });
    scoring.close();
    const spans = await receiver.waitFor((all) =>
      traceIds.every(
        (t) =>
          checkSpans(all, t).length === 1 &&
          all.some((s) => s.name === 'checkwire.FinishServiceChecks' && s.traceId === t),
      ),
    );
    for (const [i, traceId] of traceIds.entries()) {
      const [check] = checkSpans(spans, traceId);
      expect(check!.parentSpanId).toBe('');
      expect(check!.startMs).toBeCloseTo(started[i]!.checkRun!.startedAt!.getTime(), -1);
      const children = spans.filter((s) => s.parentSpanId === check!.spanId);
      expect(children.map((s) => s.name).sort()).toEqual([
        'checkwire.FinishServiceChecks',
        'checkwire.StartServiceChecks',
      ]);
    }
    const [upCheck] = checkSpans(spans, traceIds[0]!);
    expect(upCheck!.attributes).toMatchObject({
      'checkwire.service.id': up.id,
      'checkwire.score.result': 1,
    });
    expect(upCheck!.status.code).toBe(0);
    const [failedCheck] = checkSpans(spans, traceIds[1]!);
    expect(failedCheck!.attributes).toMatchObject({
      'checkwire.service.id': failing.id,
      'checkwire.score.result': 0,
      'checkwire.error.kind': 'timeout',
    });
    expect(failedCheck!.status).toEqual({ code: 2, message: 'service error reported: timeout' });
  });

  it('ends a run never marked done as abandoned, with status ERROR', async () => {
    const app = await startScoring({
      CHECK_RUN_TIMEOUT_MS: '300',
      CHECK_RUN_SWEEP_INTERVAL_MS: '100',
    });
    const service = await newService(app.address, 'trace-abandoned');
    const c = clients(app.address);
    const started = await traced((o) =>
      c.scoring.insertServiceScoreInProgress({ serviceId: service.id }, o),
    );
    const traceId = started.traceId!;
    const spans = await receiver.waitFor((all) => checkSpans(all, traceId).length === 1);
    const [check] = checkSpans(spans, traceId);
    expect(check!.status).toEqual({ code: 2, message: 'abandoned' });
    expect(check!.attributes['checkwire.check_run.abandoned']).toBe(true);
    expect(check!.endMs - check!.startMs).toBeGreaterThanOrEqual(300);
    const { service: after } = await c.admin.getService({ id: service.id });
    expect(after?.inProgress).toBe(false);
    // Done after the sweep finds no open run: nothing more is recorded.
    const done = await c.scoring.insertServiceScoreDone({ serviceId: service.id });
    expect(done.checkRun).toBeUndefined();
    c.close();
  });
});

describe('secrets', () => {
  it('keeps service and credential-pool passwords and every token out of spans and logs', async () => {
    const app = await startScoring();
    const logged: string[] = [];
    app.process.stderr?.on('data', (chunk: Buffer) => logged.push(chunk.toString()));
    const service = await newService(app.address, 'trace-secrets'); // password hunter2
    const admin = clients(app.address);
    const poolPassword = `pool-${randomBytes(8).toString('hex')}`;
    const { credentialPool } = await admin.admin.createCredentialPool({
      name: 'trace-pool',
      credentials: [{ username: 'svc-user', password: poolPassword }],
    });
    await admin.admin.updateService({
      service: { ...service, credentialPoolId: credentialPool!.id },
      updateMask: ['credential_pool_id'],
    });
    admin.close();
    const tokens = createPromiseClient(TokenServiceService, app.address, { token: adminToken! });
    const mint = async (role: Role, teamId?: number) =>
      (await tokens.createToken({ name: `t-${role}`, role, teamId, subtypes: [], serviceIds: [] }))
        .secret;
    const runnerToken = await mint(Role.ROLE_CHECK_RUNNER);
    const blueToken = await mint(Role.ROLE_BLUE, service.teamId);
    tokens.close();
    const unknownToken = `cw_${randomBytes(32).toString('base64url')}`;

    // A check runner scores and reads the secrets (as it must); blue reads and is refused.
    const runner = {
      scoring: createPromiseClient(ScoringServiceService, app.address, { token: runnerToken }),
      admin: createPromiseClient(AdminServiceService, app.address, { token: runnerToken }),
    };
    await runner.scoring.insertServiceScoreInProgress({ serviceId: service.id });
    await runner.scoring.insertServiceScore({ serviceId: service.id, result: 1 });
    await runner.scoring.insertServiceScoreDone({ serviceId: service.id });
    const { credentialPool: read } = await runner.admin.getCredentialPool({
      id: credentialPool!.id,
    });
    expect(read!.credentials[0]!.password).toBe(poolPassword);
    expect((await runner.admin.getService({ id: service.id })).service!.password).toBe('hunter2');
    runner.scoring.close();
    runner.admin.close();
    const blue = createPromiseClient(AdminServiceService, app.address, { token: blueToken });
    await blue.listServices({});
    await expect(blue.createTeam({ name: 'nope' })).rejects.toMatchObject({
      code: status.PERMISSION_DENIED,
    });
    blue.close();
    const stranger = createPromiseClient(AdminServiceService, app.address, { token: unknownToken });
    await expect(stranger.listServices({})).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
    stranger.close();

    const spans = await receiver.waitFor(
      (all) =>
        all.some((s) => s.name.includes('GetCredentialPool')) &&
        all.some((s) => s.name.includes('CreateTeam') && s.status.code === 2) &&
        all.filter((s) => s.name === 'checkwire.InsertServiceScoreDone').length >= 1,
    );
    const exported = JSON.stringify(spans);
    const output = [...app.output, ...logged].join('\n');
    for (const secret of [
      'hunter2',
      poolPassword,
      runnerToken.slice(3),
      blueToken.slice(3),
      unknownToken.slice(3),
    ]) {
      expect(exported, 'spans').not.toContain(secret);
      expect(output, 'stdout/stderr').not.toContain(secret);
    }
    // The admin token is printed once, at the first start, and never exported.
    expect(exported).not.toContain(adminToken!.slice(3));
  });
});
