import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '@checkwire/db';
import { createPromiseClient } from '@checkwire/grpc';
import { profiled } from './profile.js';
import { startApp, stopApp, type RunningApp } from '@checkwire/proc';
import {
  AdminServiceService,
  CheckQueueServiceService,
  Role,
  ScoringServiceService,
  TokenServiceService,
} from '@checkwire/proto';
import { CheckRunner } from '@checkwire/runner';
import { ManualClock, SchedulerApp, slotStart } from '@checkwire/scheduler';
import { FREE_METRICS_PORTS, serviceDraft } from '@checkwire/testing';
import type { BenchArgs } from './args.js';
import { MEASURED_WINDOWS, monotonicUs, type Figure } from './stats.js';

const HOUR = 3_600_000;

async function waitUntil(probe: () => Promise<boolean>, limitMs: number): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('benchmark did not finish in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * (f) per-sensor ticks: 100,000 sensors, one sensor_per_1h firing, delivered to a handler (its own
 * process) by one scheduler; (g) TCP checks through runners, end to end through scoring.
 */
export async function benchScheduler(
  args: BenchArgs,
  sizes: { sensors: number; checks: number; runners: number },
): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'checkwire-bench-sched-'));
  chmodSync(dataDir, 0o755);
  const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), persistent: false });
  const apps: RunningApp[] = [];
  const sql = new pg.Pool({ connectionString: postgres.url, max: 2 });
  const env = {
    ...process.env,
    ...FREE_METRICS_PORTS,
    DATABASE_URL: postgres.url,
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
  };
  const clock = new ManualClock(new Date('2026-11-16T01:00:00Z'));
  try {
    const scoring = await startApp(
      profiled({
        name: 'scoring',
        entry: 'apps/scoring/src/main.ts',
        ready: /listening on ([^\s"]+)/,
        echo: false,
      }),
      { ...env, SCORING_PORT: '0' },
    );
    apps.push(scoring);
    const adminToken = /CHECKWIRE_TOKEN=(\S+)/.exec(scoring.output.join('\n'))![1]!;
    const tokens = createPromiseClient(TokenServiceService, scoring.address, { token: adminToken });
    // Each app its own role, as in production: the runners check_runner, the scheduler scheduler.
    const { secret: token } = await tokens.createToken({
      name: 'bench runners',
      role: Role.ROLE_CHECK_RUNNER,
    });
    const { secret: schedulerToken } = await tokens.createToken({
      name: 'bench scheduler',
      role: Role.ROLE_SCHEDULER,
    });
    tokens.close();
    const handler = await startApp(
      profiled({
        name: 'handler',
        entry: 'tools/bench/src/bench-handler.ts',
        ready: /listening on ([^\s"]+)/,
        echo: false,
      }),
      env,
    );
    apps.push(handler);

    // (f) The first ticks fire with nobody registered; then 100,000 sensors, then one hour on.
    const scheduler = await SchedulerApp.start({
      databaseUrl: postgres.url,
      lcHandlers: [{ name: 'bench', handler: handler.address }],
      scoringAddress: scoring.address,
      token: schedulerToken,
      roundIntervalMs: 0,
      tickIntervalMs: 100,
      clock,
    });
    const undelivered = async () =>
      Number(
        (await sql.query('SELECT count(*) AS n FROM lc_delivery WHERE done_at IS NULL')).rows[0].n,
      );
    await waitUntil(
      async () => (await sql.query('SELECT count(*) AS n FROM schedule_fire')).rows[0].n >= 18,
      30_000,
    );
    await waitUntil(async () => (await undelivered()) === 0, 30_000);
    await sql.query(`INSERT INTO lc_org (service_name, oid) VALUES ('bench', 'org-1')`);
    await sql.query(
      `INSERT INTO lc_sensor (service_name, oid, sid)
       SELECT 'bench', 'org-1', 'sensor-' || g FROM generate_series(1, $1) g`,
      [sizes.sensors],
    );
    const t0 = performance.now();
    const ticksWindow = { startUs: monotonicUs(), endUs: 0 };
    clock.advance(HOUR);
    // The probe runs ten times a second on the cores being measured, so it must cost next to
    // nothing: the firing's row (written in the transaction that queues its deliveries), then no
    // undelivered row left (the partial index of undelivered rows). Counting 100,000 rows every
    // 100 ms took a share of PostgreSQL's core away from the deliveries it was timing.
    const dueAt = slotStart(clock.now(), HOUR);
    await waitUntil(
      async () =>
        (
          await sql.query(
            `SELECT EXISTS (SELECT 1 FROM schedule_fire WHERE schedule = 'lc:bench:sensor_per_1h'
                              AND due_at = $1)
                AND NOT EXISTS (SELECT 1 FROM lc_delivery WHERE done_at IS NULL) AS done`,
            [dueAt],
          )
        ).rows[0].done === true,
      300_000,
    );
    const ticksSeconds = (performance.now() - t0) / 1000;
    MEASURED_WINDOWS.push({ ...ticksWindow, endUs: monotonicUs() });
    const delivered = Number(
      (
        await sql.query(
          `SELECT count(*) AS n FROM lc_delivery WHERE etype = 'sensor_per_1h' AND done_at IS NOT NULL`,
        )
      ).rows[0].n,
    );
    if (delivered < sizes.sensors) {
      throw new Error(`(f) delivered ${delivered} of ${sizes.sensors} per-sensor callbacks`);
    }
    await scheduler.stop();

    // (g) TCP checks: services pointing at a local TCP server, one round, runners in this process.
    const target = createServer((c) => c.end());
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    const port = (target.address() as AddressInfo).port;
    const admin = createPromiseClient(AdminServiceService, scoring.address, { token: adminToken });
    const { team } = await admin.createTeam({ name: 'bench-team' });
    for (let i = 0; i < sizes.checks; i++) {
      await admin.createService({
        service: serviceDraft(team!.id, {
          external: false,
          subtype: 'TCP',
          protocol: 'tcp',
          url: '127.0.0.1',
          port,
        }),
      });
    }
    admin.close();
    clock.advance(HOUR);
    const rounds = await SchedulerApp.start({
      databaseUrl: postgres.url,
      lcHandlers: [],
      scoringAddress: scoring.address,
      token: schedulerToken,
      roundIntervalMs: HOUR,
      // The production default: each tick lists every service (late ones join the round), so a
      // 100 ms tick would make (g) pay ten listings of 3,000 services a second.
      tickIntervalMs: 1000,
      clock,
    });
    const options = { token };
    // One set of clients per runner for both rounds: the warm-up round warms their connections.
    const clients = Array.from({ length: sizes.runners }, () => ({
      queue: createPromiseClient(CheckQueueServiceService, rounds.address, options),
      scoring: createPromiseClient(ScoringServiceService, scoring.address, options),
      admin: createPromiseClient(AdminServiceService, scoring.address, options),
    }));
    const count = async (where: string) =>
      Number((await sql.query(`SELECT count(*) AS n FROM check_task ${where}`)).rows[0].n);
    // One round's checks, by runners started once the round is queued; its seconds.
    const runRound = async (round: number, window: boolean): Promise<number> => {
      const total = round * sizes.checks;
      await waitUntil(async () => (await count('')) >= total, 60_000);
      const runners = clients.map(
        (c, i) =>
          new CheckRunner(c, {
            runnerId: `bench-${round}-${i}`,
            concurrency: args.concurrency,
            checkTimeoutMs: 2000,
            idleMs: 20,
          }),
      );
      const c0 = performance.now();
      const checksWindow = { startUs: monotonicUs(), endUs: 0 };
      runners.forEach((r) => r.start());
      await waitUntil(async () => (await count(`WHERE outcome = 'scored'`)) >= total, 300_000);
      const seconds = (performance.now() - c0) / 1000;
      if (window) MEASURED_WINDOWS.push({ ...checksWindow, endUs: monotonicUs() });
      await Promise.all(runners.map((r) => r.stop()));
      return seconds;
    };
    // The first round warms up (compiled code, connections, PostgreSQL's caches), as the other
    // figures' first two seconds do; the second is timed. 3,000 checks take about two seconds,
    // of which a cold start was a sizeable share.
    const scores = async () =>
      Number((await sql.query('SELECT count(*) AS n FROM score')).rows[0].n);
    await runRound(1, false);
    const warmUpScores = await scores();
    clock.advance(HOUR);
    const checkSeconds = await runRound(2, true);
    for (const c of clients) for (const client of Object.values(c)) client.close();
    await rounds.stop();
    target.close();
    // Scores the timed round wrote: one per check.
    const scored = (await scores()) - warmUpScores;
    return [
      {
        name: `(f) per-sensor ticks, ${sizes.sensors} sensors`,
        rate: sizes.sensors / ticksSeconds,
        unit: 'ticks/s',
        p50Ms: NaN,
        p99Ms: NaN,
        extra: { totalSeconds: ticksSeconds.toFixed(1) },
      },
      {
        name: `(g) TCP checks, ${sizes.runners} runner(s)`,
        rate: sizes.checks / checkSeconds,
        unit: 'checks/s',
        p50Ms: NaN,
        p99Ms: NaN,
        extra: { checks: sizes.checks, scores: scored, totalSeconds: checkSeconds.toFixed(1) },
      },
    ];
  } finally {
    await sql.end();
    for (const app of apps.reverse()) await stopApp(app);
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
