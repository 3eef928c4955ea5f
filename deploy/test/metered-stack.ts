import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createPromiseClient } from '@checkwire/grpc';
import { canonicalBody, sign, SIGNATURE_HEADER } from '@checkwire/lc-wire';
import { startApp, stopApp, type RunningApp } from '@checkwire/proc';
import { Role, TokenServiceService } from '@checkwire/proto';
import { FREE_METRICS_PORTS } from '@checkwire/testing';

const root = join(import.meta.dirname, '..', '..');

/** One app of the stack: where it serves, and where it serves its metrics. */
export interface MeteredApp {
  app: RunningApp;
  address: string;
  /** http://127.0.0.1:<port>/metrics, as the app printed it. */
  metricsUrl: string;
}

export type AppName =
  'scoring' | 'jobs' | 'lc-example' | 'scheduler' | 'lc-gateway' | 'runner' | 'console';

export interface MeteredStack {
  apps: Map<AppName, MeteredApp>;
  adminToken: string;
  /** POSTs `body` to the gateway's `example` route, signed with its secret (or `signature`). */
  callback(body: unknown, signature?: string): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

/**
 * Rounds 30 days apart (slots aligned on the epoch): the services the test creates join the
 * current round and are checked once each, whenever the test runs.
 */
const ROUND_INTERVAL_MS = String(30 * 24 * 3_600_000);

/**
 * Every app as its own process (from source, as tests run them) over `databaseUrl`, each with its
 * /metrics on a free port, wired as `npm start` wires them: the apps' own tokens minted through
 * the scoring server, the gateway routing `example` to lc-example, the scheduler calling it.
 */
export async function startMeteredStack(databaseUrl: string): Promise<MeteredStack> {
  const apps = new Map<AppName, MeteredApp>();
  const stop = async () => {
    for (const { app } of [...apps.values()].reverse()) await stopApp(app);
  };
  const base = {
    ...process.env,
    ...FREE_METRICS_PORTS,
    DATABASE_URL: databaseUrl,
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
    LOG_LEVEL: 'warn',
  };
  const start = async (name: AppName, ready: RegExp, env: Record<string, string>) => {
    const app = await startApp(
      { name, entry: `apps/${name}/src/main.ts`, ready, echo: false, cwd: root },
      { ...base, ...env },
    );
    // Printed before the ready line, so it is in the output already.
    const metricsUrl = app.output
      .map((line) => /metrics on (http:\/\/[^\s"]+)/.exec(line)?.[1])
      .find((url) => url !== undefined);
    apps.set(name, { app, address: app.address, metricsUrl: metricsUrl ?? '' });
    if (metricsUrl === undefined) throw new Error(`${name} printed no metrics URL`);
    return app.address;
  };
  const grpcReady = /gRPC listening on ([^\s"]+)/;
  const handlerToken = randomBytes(16).toString('hex');
  const secret = randomBytes(16).toString('hex');
  try {
    const scoring = await start('scoring', grpcReady, { SCORING_PORT: '0' });
    const adminToken = /CHECKWIRE_TOKEN=(\S+)/.exec(
      apps.get('scoring')!.app.output.join('\n'),
    )?.[1];
    if (adminToken === undefined) throw new Error('scoring printed no bootstrap token');
    const tokens = createPromiseClient(TokenServiceService, scoring, { token: adminToken });
    const mint = async (name: string, role: Role) =>
      (await tokens.createToken({ name, role })).secret;
    const schedulerToken = await mint('metrics test: scheduler', Role.ROLE_SCHEDULER);
    const runnerToken = await mint('metrics test: runner', Role.ROLE_CHECK_RUNNER);
    const gatewayToken = await mint('metrics test: lc-gateway', Role.ROLE_LC_GATEWAY);
    tokens.close();

    const jobs = await start('jobs', grpcReady, { JOBS_PORT: '0' });
    const example = await start('lc-example', /LcHandlerService listening on ([^\s"]+)/, {
      LC_EXAMPLE_PORT: '0',
      LC_HANDLER_TOKEN: handlerToken,
    });
    const scheduler = await start('scheduler', grpcReady, {
      SCHEDULER_PORT: '0',
      SCHEDULER_LC_HANDLERS: JSON.stringify([
        { name: 'example', handler: example, token: handlerToken },
      ]),
      SCORING_ADDRESS: scoring,
      JOBS_ADDRESS: jobs,
      CHECKWIRE_TOKEN: schedulerToken,
      SCHEDULER_ROUND_INTERVAL_MS: ROUND_INTERVAL_MS,
      SCHEDULER_TICK_INTERVAL_MS: '100',
    });
    const gateway = await start('lc-gateway', /HTTP listening on ([^\s"]+)/, {
      LC_GATEWAY_PORT: '0',
      LC_GATEWAY_ROUTES: JSON.stringify([
        { name: 'example', secret, handler: example, token: handlerToken },
      ]),
      JOBS_ADDRESS: jobs,
      SCHEDULER_ADDRESS: scheduler,
      CHECKWIRE_TOKEN: gatewayToken,
    });
    await start('runner', /taking checks from ([^\s"]+)/, {
      SCORING_ADDRESS: scoring,
      SCHEDULER_ADDRESS: scheduler,
      CHECKWIRE_TOKEN: runnerToken,
    });
    await start('console', /HTTP listening on ([^\s"]+)/, {
      CONSOLE_PORT: '0',
      SCORING_ADDRESS: scoring,
      JOBS_ADDRESS: jobs,
    });
    return {
      apps,
      adminToken,
      async callback(body, signature) {
        const bytes = canonicalBody(body);
        const res = await fetch(`${gateway}/example`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signature ?? sign(secret, bytes),
          },
          body: bytes,
        });
        return { status: res.status, json: JSON.parse(await res.text()) as unknown };
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
