import { join } from 'node:path';
import { Authenticator, TokenAdministration } from '@checkwire/auth';
import { connectDatabase } from '@checkwire/db';
import { canonicalBody, sign, SIGNATURE_HEADER } from '@checkwire/lc-wire';
import { startApp, stopApp, type RunningApp } from '@checkwire/proc';
import { FREE_METRICS_PORTS } from './free-metrics-ports.js';

const root = join(import.meta.dirname, '..', '..', '..');

/** One route of the gateway: LC_GATEWAY_ROUTES' entry shape. */
export interface GatewayRoute {
  name: string;
  secret: string;
  /** host:port of the handler's LcHandlerService. */
  handler: string;
  token?: string;
}

export interface LcGatewayProcess {
  /** http://host:port of the gateway. */
  url: string;
  /**
   * Signs `body` as LimaCharlie does (its canonical bytes, the route's secret), POSTs it, and
   * gives the HTTP status and the parsed answer.
   */
  post(route: string, body: unknown): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

/**
 * The real Jobs server and LC gateway (apps/jobs, apps/lc-gateway) as their own processes over
 * `databaseUrl`, routing to handlers the test started: what a handler written in another language
 * sits behind in production. The gateway's lc_gateway token is minted in the database, as
 * `npm start` does. `gatewayEnv` adds to the gateway's environment (e.g. `LC_API_URL`: the LC
 * cloud stand-in's URL, for interactive handlers).
 */
export async function startLcGatewayProcess(
  databaseUrl: string,
  routes: GatewayRoute[],
  gatewayEnv: Record<string, string> = {},
): Promise<LcGatewayProcess> {
  const env = {
    ...process.env,
    ...FREE_METRICS_PORTS,
    DATABASE_URL: databaseUrl,
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
  };
  const handle = connectDatabase({ connectionString: databaseUrl, maxConnections: 1 });
  let token: string;
  try {
    const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
    token = (await tokens.create({ name: 'lc gateway (test)', role: 'lc_gateway' })).secret;
  } finally {
    await handle.close();
  }
  const apps: RunningApp[] = [];
  const stop = async () => {
    for (const app of apps.reverse()) await stopApp(app);
  };
  try {
    const jobs = await startApp(
      {
        name: 'jobs',
        entry: 'apps/jobs/src/main.ts',
        ready: /listening on ([^\s"]+)/,
        echo: false,
        cwd: root,
      },
      { ...env, JOBS_PORT: '0' },
    );
    apps.push(jobs);
    const gateway = await startApp(
      {
        name: 'lc-gateway',
        entry: 'apps/lc-gateway/src/main.ts',
        ready: /HTTP listening on ([^\s"]+)/,
        echo: false,
        cwd: root,
      },
      {
        ...env,
        LC_GATEWAY_PORT: '0',
        LC_GATEWAY_ROUTES: JSON.stringify(routes),
        JOBS_ADDRESS: jobs.address,
        CHECKWIRE_TOKEN: token,
        ...gatewayEnv,
      },
    );
    apps.push(gateway);
  } catch (err) {
    await stop();
    throw err;
  }
  const url = apps[1]!.address;
  const secrets = new Map(routes.map((r) => [r.name, r.secret]));
  return {
    url,
    async post(route, body) {
      const bytes = canonicalBody(body);
      const res = await fetch(`${url}/${route}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'lc-services',
          [SIGNATURE_HEADER]: sign(secrets.get(route) ?? '', bytes),
        },
        body: Buffer.from(bytes, 'utf8'),
      });
      return { status: res.status, json: JSON.parse(await res.text()) as unknown };
    },
    stop,
  };
}
