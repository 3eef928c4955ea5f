import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS_DEFAULTS } from '@checkwire/config';
import { createPromiseClient, GrpcStatus } from '@checkwire/grpc';
import { AdminServiceService, StatusServiceService } from '@checkwire/proto';
import {
  createTestDatabase,
  scrapeMetrics,
  scrapeUntil,
  serviceDraft,
  type PromScrape,
  type TestDatabase,
} from '@checkwire/testing';
import { startMeteredStack, type AppName, type MeteredStack } from './metered-stack.js';
import { promqlSelectors } from './promql-selectors.js';

// Every app started for real (its own process, a real PostgreSQL, servers on 127.0.0.1:0), some
// traffic of every kind driven through it, and each app's real /metrics scraped over HTTP.

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

let database: TestDatabase;
let stack: MeteredStack;
let upTarget: Server;
let downPort: number;
const scrapes = new Map<AppName, PromScrape>();

const url = (app: AppName) => stack.apps.get(app)!.metricsUrl;
const rpc = (method: string, code = 'OK') => ({ rpc_method: method, rpc_status_code: code });
const ADMIN = 'checkwire.scoring.v1.AdminService';
const LC = 'checkwire.lc.v1.LcHandlerService';

beforeAll(async () => {
  database = await createTestDatabase();
  // A TCP service that answers, and a port nothing listens on (refused: a connection error).
  upTarget = createServer((socket) => socket.end());
  await new Promise<void>((r) => upTarget.listen(0, '127.0.0.1', r));
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  downPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  stack = await startMeteredStack(database.url);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  upTarget?.close();
  await database?.drop();
}, 60_000);

describe('each app serves its metrics at /metrics', () => {
  it('counts what the traffic did, by the labels the dashboard groups by', async () => {
    const scoring = stack.apps.get('scoring')!.address;
    const admin = createPromiseClient(AdminServiceService, scoring, { token: stack.adminToken });
    const { team } = await admin.createTeam({ name: 'metered' });
    const tcp = { protocol: 'tcp', subtype: 'tcp', url: '127.0.0.1', external: false };
    const upPort = (upTarget.address() as AddressInfo).port;
    await admin.createService({ service: serviceDraft(team!.id, { ...tcp, port: upPort }) });
    await admin.createService({ service: serviceDraft(team!.id, { ...tcp, port: downPort }) });
    await expect(admin.getService({ id: 999_999 })).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
    });
    admin.close();

    // A watch, left by the watcher once it has its first message.
    const status = createPromiseClient(StatusServiceService, scoring, { token: stack.adminToken });
    const watch = status.watchServiceStatus({})[Symbol.asyncIterator]();
    await watch.next();
    await watch.return?.();
    status.close();

    // LimaCharlie: an install (the handler answers, the scheduler records the org), a request
    // (the handler returns a job: stored, leased into the answer, confirmed once written), an
    // etype nobody knows, and a body signed with the wrong secret.
    const install = await stack.callback({ etype: 'org_install', oid: 'org-1', jwt: 'j' });
    expect(install).toMatchObject({ status: 200, json: { success: true } });
    const request = await stack.callback({
      etype: 'request',
      oid: 'org-1',
      data: { action: 'list_sensors', sensors: 's1,s2' },
    });
    expect(request).toMatchObject({ status: 200, json: { success: true, jobs: [{}] } });
    const unknown = await stack.callback({ etype: 'made_up', oid: 'org-1' });
    expect(unknown).toMatchObject({ status: 200, json: { success: false } });
    const forged = await stack.callback({ etype: 'health' }, 'a'.repeat(64));
    expect(forged.status).toBe(401);

    const consoleUrl = stack.apps.get('console')!.address;
    const teams = await fetch(`${consoleUrl}/api/teams`);
    await teams.text();

    // The runner counts a check once its score is in: wait until both are.
    const runner = await scrapeUntil(url('runner'), (s) => s.sum('checkwire_checks_total') === 2);
    expect(runner.find('checkwire_checks_total').map((s) => s.labels)).toEqual(
      expect.arrayContaining([
        {
          checkwire_check_outcome: 'up',
          checkwire_check_kind: 'tcp',
          checkwire_app: 'runner',
        },
        {
          checkwire_check_outcome: 'down',
          checkwire_check_kind: 'tcp',
          error_type: 'connection',
          checkwire_app: 'runner',
        },
      ]),
    );
    expect(runner.sum('checkwire_check_duration_count', { checkwire_check_kind: 'tcp' })).toBe(2);
    expect(runner.units.get('checkwire_check_duration')).toBe('s');
    expect(runner.sum('checkwire_runner_checks_limit')).toBe(64);
    scrapes.set('runner', runner);

    // Scoring: every call by method and code; the watch ended CANCELLED; both pools.
    const s = await scrapeUntil(
      url('scoring'),
      (x) =>
        x.sum('checkwire_rpc_server_streams_total', {
          rpc_method: 'checkwire.scoring.v1.StatusService/WatchServiceStatus',
          rpc_status_code: 'CANCELLED',
        }) === 1,
    );
    expect(s.sum('rpc_server_call_duration_count', rpc(`${ADMIN}/CreateTeam`))).toBe(1);
    expect(s.sum('rpc_server_call_duration_count', rpc(`${ADMIN}/CreateService`))).toBe(2);
    expect(s.sum('rpc_server_call_duration_count', rpc(`${ADMIN}/GetService`, 'NOT_FOUND'))).toBe(
      1,
    );
    expect(
      s.sum('rpc_server_call_duration_count', {
        rpc_method: 'checkwire.scoring.v1.ScoringService/FinishServiceChecks',
      }),
    ).toBeGreaterThan(0);
    expect(s.find('rpc_server_call_duration_count', rpc(`${ADMIN}/CreateTeam`))[0]!.labels).toEqual(
      {
        rpc_system_name: 'grpc',
        ...rpc(`${ADMIN}/CreateTeam`),
        checkwire_app: 'scoring',
      },
    );
    expect(s.types.get('rpc_server_call_duration')).toBe('histogram');
    const pools = (x: PromScrape) =>
      new Set(
        x.find('db_client_connection_count').map((p) => p.labels.db_client_connection_pool_name),
      );
    expect(pools(s)).toEqual(new Set(['checkwire-scoring', 'checkwire-scoring-reads']));
    expect(
      s.sum('db_client_connection_max', { db_client_connection_pool_name: 'checkwire-scoring' }),
    ).toBe(10);
    expect(
      s
        .find('db_client_connection_count', { db_client_connection_pool_name: 'checkwire-scoring' })
        .map((p) => p.labels.db_client_connection_state)
        .sort(),
    ).toEqual(['idle', 'used']);
    scrapes.set('scoring', s);

    // Scheduler: the six global cadences fired at its first tick (one tick each, delivered: the
    // example does not implement them, which counts as delivered); both queues emptied.
    const sched = await scrapeUntil(
      url('scheduler'),
      (x) =>
        x.sum('checkwire_scheduler_ticks_total') === 6 &&
        x.sum('checkwire_queue_depth', { checkwire_queue: 'checks' }) === 0,
    );
    const global = ['1h', '3h', '12h', '24h', '7d', '30d'].map((p) => `once_per_${p}`);
    for (const etype of global) {
      expect(
        sched.sum('checkwire_scheduler_ticks_total', {
          checkwire_lc_etype: etype,
          checkwire_tick_outcome: 'delivered',
        }),
      ).toBe(1);
      expect(
        sched.sum('checkwire_scheduler_ticks_queued_total', { checkwire_lc_etype: etype }),
      ).toBe(1);
    }
    for (const queue of ['checks', 'lc_callbacks']) {
      const states = sched
        .find('checkwire_queue_depth', { checkwire_queue: queue })
        .map((d) => [d.labels.checkwire_queue_state, d.value]);
      expect(states.sort()).toEqual([
        ['leased', 0],
        ['ready', 0],
        ['scheduled', 0],
      ]);
      expect(sched.sum('checkwire_queue_lag', { checkwire_queue: queue })).toBe(0);
    }
    expect(
      sched.sum(
        'rpc_server_call_duration_count',
        rpc('checkwire.scheduler.v1.LcRegistryService/RecordOrgInstalled'),
      ),
    ).toBe(1);
    expect(
      sched.sum('rpc_server_call_duration_count', {
        rpc_method: 'checkwire.scheduler.v1.CheckQueueService/ClaimChecks',
      }),
    ).toBeGreaterThan(0);
    expect(pools(sched)).toEqual(new Set(['checkwire-scheduler']));
    scrapes.set('scheduler', sched);

    // Jobs: the request's job stored, leased into the answer and confirmed once it was written.
    const jobs = await scrapeUntil(
      url('jobs'),
      (x) =>
        x.sum('checkwire_jobs_deliveries_total', { checkwire_jobs_delivery_step: 'confirmed' }) ===
        1,
    );
    expect(
      jobs.sum('checkwire_jobs_deliveries_total', { checkwire_jobs_delivery_step: 'leased' }),
    ).toBe(1);
    expect(
      jobs.sum(
        'rpc_server_call_duration_count',
        rpc('checkwire.jobs.v1.JobsService/ApplyJobUpdates'),
      ),
    ).toBe(1);
    expect(
      jobs
        .find('checkwire_queue_depth', { checkwire_queue: 'job_changes' })
        .map((d) => [d.labels.checkwire_queue_state, d.value])
        .sort(),
    ).toEqual([
      ['leased', 0],
      ['ready', 0],
      ['scheduled', 0],
    ]);
    expect(pools(jobs)).toEqual(new Set(['checkwire-jobs']));
    scrapes.set('jobs', jobs);

    // The gateway: callbacks by etype and answer; the forged body refused with 401.
    const gw = await scrapeMetrics(url('lc-gateway'));
    const callbacks = gw
      .find('checkwire_lc_callback_duration_count')
      .map((c) => [c.labels.checkwire_lc_etype, c.labels.checkwire_lc_answer, c.value]);
    expect(callbacks.sort()).toEqual([
      ['_OTHER', 'not_implemented', 1],
      ['org_install', 'success', 1],
      ['request', 'success', 1],
    ]);
    expect(gw.find('checkwire_lc_refusals_total')).toEqual([
      {
        name: 'checkwire_lc_refusals_total',
        labels: { http_response_status_code: '401', checkwire_app: 'lc-gateway' },
        value: 1,
      },
    ]);
    scrapes.set('lc-gateway', gw);

    // The example handler: the calls the gateway and the scheduler made.
    const ex = await scrapeMetrics(url('lc-example'));
    expect(ex.sum('rpc_server_call_duration_count', rpc(`${LC}/OnOrgInstalled`))).toBe(1);
    expect(ex.sum('rpc_server_call_duration_count', rpc(`${LC}/OnRequest`))).toBe(1);
    expect(
      ex.sum('rpc_server_call_duration_count', rpc(`${LC}/Every1HourGlobally`, 'UNIMPLEMENTED')),
    ).toBe(1);
    scrapes.set('lc-example', ex);

    // The console: its API's requests by route and status.
    const con = await scrapeMetrics(url('console'));
    expect(con.find('http_server_request_duration_count').map((c) => [c.labels, c.value])).toEqual([
      [
        {
          http_request_method: 'GET',
          http_route: '/api/teams',
          http_response_status_code: String(teams.status),
          checkwire_app: 'console',
        },
        1,
      ],
    ]);
    scrapes.set('console', con);

    // Every app says who it is.
    for (const [app, scrape] of scrapes) {
      expect(scrape.find('target_info')[0]!.labels).toMatchObject({
        service_name: 'checkwire',
        checkwire_app: app,
      });
    }
  });
});

/** Every panel's queries in the dashboard. */
function dashboardQueries(): { panel: string; expr: string }[] {
  const dashboard = JSON.parse(read('deploy/grafana/checkwire.json')) as {
    panels: { title: string; type: string; targets?: { expr: string }[] }[];
  };
  return dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })),
  );
}

describe('deploy/grafana/checkwire.json', () => {
  it('(how its queries are read: metric names apart from functions, labels, ranges, strings)', () => {
    expect(
      promqlSelectors(
        'histogram_quantile(0.99, sum by (le, a) (rate(x_bucket{b!="c", d=~"e|f"}[$__rate_interval]))) / on (a) sum(y_total) or vector(0)',
      ),
    ).toEqual({ metrics: ['x_bucket', 'y_total'], labels: ['a', 'b', 'd', 'le'] });
  });

  it('queries only metrics, and labels, that the apps serve', () => {
    // Needs the scrapes above: run with the whole file.
    expect(scrapes.size).toBe(7);
    const served = new Map<string, Set<string>>();
    for (const scrape of scrapes.values()) {
      for (const s of scrape.samples) {
        const labels = served.get(s.name) ?? new Set<string>();
        for (const l of Object.keys(s.labels)) labels.add(l);
        served.set(s.name, labels);
      }
    }
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const { panel, expr } of queries) {
      const { metrics, labels } = promqlSelectors(expr);
      expect(metrics.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      for (const m of metrics) if (!served.has(m)) missing.push(`${panel}: metric ${m}`);
      const known = new Set(metrics.flatMap((m) => [...(served.get(m) ?? [])]));
      for (const l of labels)
        if (!known.has(l)) missing.push(`${panel}: label ${l} of ${metrics.join(', ')}`);
    }
    expect(missing).toEqual([]);
  });

  it('charts every metric family the apps serve', () => {
    expect(scrapes.size).toBe(7);
    const charted = new Set(
      dashboardQueries().flatMap(({ expr }) => promqlSelectors(expr).metrics),
    );
    const families = new Set(
      [...scrapes.values()].flatMap((s) => [...s.types.keys()]).filter((f) => f !== 'target_info'),
    );
    const uncharted = [...families].filter(
      (f) => ![f, `${f}_count`, `${f}_bucket`, `${f}_sum`].some((n) => charted.has(n)),
    );
    expect(uncharted).toEqual([]);
  });

  it('is a Grafana dashboard model over a Prometheus data source variable', () => {
    const d = JSON.parse(read('deploy/grafana/checkwire.json')) as {
      uid: string;
      title: string;
      schemaVersion: number;
      templating: { list: { name: string; type: string; query: string }[] };
      panels: {
        id: number;
        type: string;
        gridPos: { h: number; w: number; x: number; y: number };
        datasource?: { type: string; uid: string };
        targets?: { refId: string; expr: string; datasource: { uid: string } }[];
      }[];
    };
    expect(d).toMatchObject({ uid: 'checkwire', title: 'Checkwire' });
    expect(d.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(d.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
    );
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of d.panels) {
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      if (p.type === 'row') continue;
      expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      const refIds = p.targets!.map((t) => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
      for (const t of p.targets!) expect(t.datasource.uid).toBe('${datasource}');
    }
  });
});

describe('the metrics ports', () => {
  it('are documented where their defaults are: .env.example and each app README', () => {
    const env = read('.env.example');
    for (const [app, d] of Object.entries(METRICS_DEFAULTS)) {
      expect(env).toContain(`\n${d.portVar}=${d.port}\n`);
      expect(env).toContain(`\n${d.hostVar}=127.0.0.1\n`);
      const readme = read(`apps/${app}/README.md`);
      expect(readme, `apps/${app}/README.md`).toContain(d.portVar);
      expect(readme, `apps/${app}/README.md`).toContain(String(d.port));
    }
  });
});
