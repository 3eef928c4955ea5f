import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Authenticator, TokenAdministration } from '@checkwire/auth';
import { connectDatabase, startEmbeddedPostgres } from '@checkwire/db';
import { canonicalBody, sign } from '@checkwire/lc-wire';
import { startApp, stopApp, type RunningApp } from '@checkwire/proc';
import type { BenchArgs } from './args.js';
import { closedLoop, type Figure } from './stats.js';

const SECRET = 'bench-secret';

/** One signed `request` callback, POSTed over a keep-alive connection; resolves on a 200. */
function poster(url: string, concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const body = canonicalBody({
    data: { action: 'ping' },
    deadline: Math.floor(Date.now() / 1000) + 3600,
    etype: 'request',
    jwt: 'jwt',
    mid: '00000000-0000-4000-8000-000000000000',
    oid: 'bench-org',
  });
  const headers = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'lc-svc-sig': sign(SECRET, body),
  };
  const target = new URL(url);
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers,
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if (res.statusCode !== 200 || !text.includes('"success":true')) {
              reject(new Error(`HTTP ${res.statusCode}: ${text}`));
            } else resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}

async function measure(name: string, url: string, args: BenchArgs): Promise<Figure> {
  const client = poster(url, args.concurrency);
  try {
    const { rate, samples } = await closedLoop(
      args.concurrency,
      args.warmup,
      args.seconds,
      client.post,
    );
    return {
      name,
      rate,
      unit: 'callbacks/s',
      p50Ms: samples.percentile(50),
      p99Ms: samples.percentile(99),
    };
  } finally {
    client.close();
  }
}

/** The bare HTTP ceiling, then gateway → gRPC handler → response (with the Jobs check). */
export async function benchLc(args: BenchArgs): Promise<{ bare: Figure; gateway: Figure }> {
  const bareServer = await startApp(
    {
      name: 'bare',
      entry: 'tools/bench/src/bare-lc-server.ts',
      ready: /listening on (\S+)/,
      echo: false,
    },
    { ...process.env, BENCH_LC_SECRET: SECRET },
  );
  let bare: Figure;
  try {
    bare = await measure(
      `(d) bare HTTP, ${args.concurrency} clients`,
      `${bareServer.address}/`,
      args,
    );
  } finally {
    await stopApp(bareServer);
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'checkwire-bench-lc-'));
  chmodSync(dataDir, 0o755);
  const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), persistent: false });
  const apps: RunningApp[] = [];
  try {
    const env = { ...process.env, DATABASE_URL: postgres.url, OTEL_EXPORTER_OTLP_ENDPOINT: '' };
    const jobs = await startApp(
      { name: 'jobs', entry: 'apps/jobs/src/main.ts', ready: /listening on (\S+)/, echo: false },
      { ...env, JOBS_PORT: '0' },
    );
    apps.push(jobs);
    const handle = connectDatabase({ connectionString: postgres.url, maxConnections: 1 });
    const token = (
      await new TokenAdministration(handle.db, new Authenticator(handle.db)).create({
        name: 'bench gateway',
        role: 'check_runner',
      })
    ).secret;
    await handle.close();
    const handler = await startApp(
      {
        name: 'handler',
        entry: 'tools/bench/src/bench-handler.ts',
        ready: /listening on (\S+)/,
        echo: false,
      },
      env,
    );
    apps.push(handler);
    const gateway = await startApp(
      {
        name: 'lc-gateway',
        entry: 'apps/lc-gateway/src/main.ts',
        ready: /HTTP listening on (\S+)/,
        echo: false,
      },
      {
        ...env,
        LC_GATEWAY_PORT: '0',
        LC_GATEWAY_ROUTES: JSON.stringify([
          { name: 'bench', secret: SECRET, handler: handler.address },
        ]),
        JOBS_ADDRESS: jobs.address,
        CHECKWIRE_TOKEN: token,
      },
    );
    apps.push(gateway);
    const figure = await measure(
      `(e) gateway → handler, ${args.concurrency} clients`,
      `${gateway.address}/bench`,
      args,
    );
    return { bare, gateway: figure };
  } finally {
    for (const app of apps.reverse()) await stopApp(app);
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
