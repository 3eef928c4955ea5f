import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SupervisedPostgres } from '@checkwire/db';
import { createPromiseClient } from '@checkwire/grpc';
import { serveLcService } from '@checkwire/lc-sdk';
import { createLogger, type Logger } from '@checkwire/log';
import { SupervisedApp } from '@checkwire/proc';
import { AdminServiceService, Role, TokenServiceService } from '@checkwire/proto';
import { FaultHandler } from './fault-handler.js';
import { FREE_METRICS_PORTS } from '@checkwire/testing';

const root = join(import.meta.dirname, '..', '..', '..');

/** The apps the suite runs, by name; each is killed in turn. */
export type AppName =
  | 'scoring-a'
  | 'scoring-b'
  | 'jobs'
  | 'scheduler-a'
  | 'scheduler-b'
  | 'lc-gateway'
  | 'runner-a'
  | 'runner-b';

export interface Topology {
  postgres: SupervisedPostgres;
  apps: Map<AppName, SupervisedApp>;
  adminToken: string;
  lcSecret: string;
  /** Services the lifecycle load scores (external: no round checks them). */
  lifecycleServices: number[];
  /** Services the check rounds check (internal TCP, on loopback servers of the suite). */
  roundServices: number[];
  log: Logger;
  stop(): Promise<void>;
}

export interface TopologyOptions {
  /** Show the apps' output. @default false */
  echo?: boolean;
  /** How often the schedulers start a check round. @default 1000 */
  roundIntervalMs?: number;
}

/** A TCP server that accepts and closes: an "up" service for the rounds. */
async function tcpTarget(): Promise<Server> {
  const server = createServer((socket) => socket.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

const BASE_ENV = { ...FREE_METRICS_PORTS, OTEL_EXPORTER_OTLP_ENDPOINT: '', LOG_LEVEL: 'warn' };

/**
 * The whole stack, with two scoring replicas, two schedulers and two runners, on a PostgreSQL of
 * its own in a temporary folder; every app supervised (restarted when killed), as `npm start`
 * runs them. Loopback only.
 */
export async function startTopology(o: TopologyOptions = {}): Promise<Topology> {
  const log = createLogger('faults');
  const dir = mkdtempSync(join(tmpdir(), 'checkwire-faults-'));
  chmodSync(dir, 0o755);
  const postgres = await SupervisedPostgres.start({ dataDir: join(dir, 'pg') }, log);
  const apps = new Map<AppName, SupervisedApp>();
  const targets: Server[] = [];
  const handler = await serveLcService(new FaultHandler());
  const lcSecret = randomBytes(16).toString('hex');
  const tokens = new Map<string, string>();
  const supervise = (
    name: AppName,
    entry: string,
    ready: RegExp,
    env: () => NodeJS.ProcessEnv,
    portEnv?: string,
  ) => {
    const app = new SupervisedApp(
      {
        name,
        entry,
        ready,
        echo: o.echo ?? false,
        cwd: root,
        ...(portEnv === undefined ? {} : { portEnv }),
      },
      () => ({ ...process.env, ...BASE_ENV, DATABASE_URL: postgres.url, ...env() }),
      { log, maxRestarts: 20 },
    );
    apps.set(name, app);
    return app;
  };
  const address = (name: AppName) => apps.get(name)!.address;
  const grpcReady = /listening on ([^\s"]+)/;

  let adminToken = '';
  const scoringA = supervise(
    'scoring-a',
    'apps/scoring/src/main.ts',
    grpcReady,
    () => ({ SCORING_PORT: '0' }),
    'SCORING_PORT',
  );
  const first = await scoringA.start();
  adminToken = /CHECKWIRE_TOKEN=(cw_\S+)/.exec(first.output.join('\n'))?.[1] ?? '';
  if (adminToken === '') throw new Error('scoring-a printed no bootstrap token');
  await supervise(
    'scoring-b',
    'apps/scoring/src/main.ts',
    grpcReady,
    () => ({ SCORING_PORT: '0' }),
    'SCORING_PORT',
  ).start();
  const tokenClient = createPromiseClient(TokenServiceService, address('scoring-a'), {
    token: adminToken,
  });
  for (const [name, role] of [
    ['runner', Role.ROLE_CHECK_RUNNER],
    ['scheduler', Role.ROLE_SCHEDULER],
    ['lc-gateway', Role.ROLE_LC_GATEWAY],
  ] as const) {
    tokens.set(name, (await tokenClient.createToken({ name: `faults ${name}`, role })).secret);
  }
  tokenClient.close();

  // What the load works on: lifecycle services (external) and round services (internal TCP).
  const admin = createPromiseClient(AdminServiceService, address('scoring-a'), {
    token: adminToken,
  });
  const lifecycleServices: number[] = [];
  const roundServices: number[] = [];
  for (let t = 0; t < 4; t++) {
    const { team } = await admin.createTeam({ name: `team-${t}` });
    for (let s = 0; s < 5; s++) {
      const { service } = await admin.createService({
        service: { teamId: team!.id, subtype: 'tcp', url: '127.0.0.1', port: 1, external: true },
      });
      lifecycleServices.push(service!.id);
    }
    const target = await tcpTarget();
    targets.push(target);
    const port = (target.address() as { port: number }).port;
    for (let s = 0; s < 2; s++) {
      const { service } = await admin.createService({
        service: {
          teamId: team!.id,
          subtype: 'tcp',
          protocol: 'tcp',
          url: '127.0.0.1',
          port,
          external: false,
        },
      });
      roundServices.push(service!.id);
    }
  }
  admin.close();

  await supervise(
    'jobs',
    'apps/jobs/src/main.ts',
    grpcReady,
    () => ({ JOBS_PORT: '0' }),
    'JOBS_PORT',
  ).start();
  const schedulerEnv = () => ({
    SCHEDULER_PORT: '0',
    SCORING_ADDRESS: address('scoring-a'),
    JOBS_ADDRESS: address('jobs'),
    CHECKWIRE_TOKEN: tokens.get('scheduler')!,
    SCHEDULER_ROUND_INTERVAL_MS: String(o.roundIntervalMs ?? 1000),
    SCHEDULER_TICK_INTERVAL_MS: '200',
    SCHEDULER_LC_HANDLERS: '[]',
  });
  await supervise(
    'scheduler-a',
    'apps/scheduler/src/main.ts',
    grpcReady,
    schedulerEnv,
    'SCHEDULER_PORT',
  ).start();
  await supervise(
    'scheduler-b',
    'apps/scheduler/src/main.ts',
    grpcReady,
    schedulerEnv,
    'SCHEDULER_PORT',
  ).start();
  await supervise(
    'lc-gateway',
    'apps/lc-gateway/src/main.ts',
    grpcReady,
    () => ({
      LC_GATEWAY_PORT: '0',
      LC_GATEWAY_ROUTES: JSON.stringify([
        { name: 'faults', secret: lcSecret, handler: handler.address },
      ]),
      LC_GATEWAY_JOB_LEASE_SECONDS: '10',
      JOBS_ADDRESS: address('jobs'),
      SCHEDULER_ADDRESS: address('scheduler-a'),
      CHECKWIRE_TOKEN: tokens.get('lc-gateway')!,
    }),
    'LC_GATEWAY_PORT',
  ).start();
  for (const [name, scoring, scheduler] of [
    ['runner-a', 'scoring-a', 'scheduler-a'],
    ['runner-b', 'scoring-b', 'scheduler-b'],
  ] as const) {
    await supervise(name, 'apps/runner/src/main.ts', /taking checks from ([^\s"]+)/, () => ({
      SCORING_ADDRESS: address(scoring),
      SCHEDULER_ADDRESS: address(scheduler),
      CHECKWIRE_TOKEN: tokens.get('runner')!,
      RUNNER_ID: name,
    })).start();
  }

  return {
    postgres,
    apps,
    adminToken,
    lcSecret,
    lifecycleServices,
    roundServices,
    log,
    async stop() {
      for (const app of [...apps.values()].reverse()) await app.stop();
      await handler.shutdown(100);
      for (const t of targets) t.close();
      await postgres.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
