import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Authenticator, TokenAdministration } from '@checkwire/auth';
import { connectDatabase, startEmbeddedPostgres } from '@checkwire/db';
import { canonicalBody, sign } from '@checkwire/lc-wire';
import { profiled } from './profile.js';
import { startApp, stopApp, type RunningApp } from '@checkwire/proc';
import type { BenchArgs } from './args.js';
import { closedLoop, printFigure, type Figure } from './stats.js';
import { FREE_METRICS_PORTS } from '@checkwire/testing';

const SECRET = 'bench-secret';

const REQUEST = {
  data: { action: 'ping' },
  deadline: Math.floor(Date.now() / 1000) + 3600,
  etype: 'request',
  jwt: 'jwt',
  mid: '00000000-0000-4000-8000-000000000000',
  oid: 'bench-org',
};

/** One signed callback, POSTed over a keep-alive connection; resolves on a 200 with success. */
function poster(url: string, concurrency: number, callback: unknown = REQUEST) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const body = canonicalBody(callback);
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

async function measure(
  name: string,
  url: string,
  args: BenchArgs,
  options: { concurrency?: number; callback?: unknown } = {},
): Promise<Figure> {
  const concurrency = options.concurrency ?? args.concurrency;
  const client = poster(url, concurrency, options.callback);
  try {
    const { rate, samples } = await closedLoop(concurrency, args.warmup, args.seconds, client.post);
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
    profiled({
      name: 'bare',
      entry: 'tools/bench/src/bare-lc-server.ts',
      ready: /listening on ([^\s"]+)/,
      echo: false,
    }),
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
    const env = {
      ...process.env,
      ...FREE_METRICS_PORTS,
      DATABASE_URL: postgres.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    };
    const jobs = await startApp(
      profiled({
        name: 'jobs',
        entry: 'apps/jobs/src/main.ts',
        ready: /listening on ([^\s"]+)/,
        echo: false,
      }),
      { ...env, JOBS_PORT: '0' },
    );
    apps.push(jobs);
    const handle = connectDatabase({ connectionString: postgres.url, maxConnections: 1 });
    const token = (
      await new TokenAdministration(handle.db, new Authenticator(handle.db)).create({
        name: 'bench gateway',
        role: 'lc_gateway',
      })
    ).secret;
    await handle.close();
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
    const gateway = await startApp(
      profiled({
        name: 'lc-gateway',
        entry: 'apps/lc-gateway/src/main.ts',
        ready: /HTTP listening on ([^\s"]+)/,
        echo: false,
      }),
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
    await benchUnderAttack(`${gateway.address}/bench`, args);
    return { bare, gateway: figure };
  } finally {
    for (const app of apps.reverse()) await stopApp(app);
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * (h) One client's signed `health` callbacks, one at a time, alone and then while four senders
 * (their own process) POST 4 MiB bodies of long keys with a wrong signature in a loop. Printed
 * here, with the ratio, since both halves belong to this run.
 */
async function benchUnderAttack(url: string, args: BenchArgs): Promise<void> {
  const health = { concurrency: 1, callback: { data: {}, etype: 'health' } };
  const alone = await measure('(h) signed health, alone', url, args, health);
  const attackers = await startApp(
    profiled({
      name: 'lc-attacker',
      entry: 'tools/bench/src/lc-attacker.ts',
      ready: /attacking (\S+)/,
      echo: false,
    }),
    { ...process.env, BENCH_ATTACK_URL: url },
  );
  let attacked: Figure;
  try {
    attacked = await measure('(h) signed health, 4 attackers', url, args, health);
  } finally {
    await stopApp(attackers);
  }
  const answers = attackers.output.find((line) => line.startsWith('lc-attacker answers'));
  const counts = JSON.parse(answers?.replace('lc-attacker answers ', '') ?? '{}') as Record<
    string,
    number
  >;
  const attacks = Object.values(counts).reduce((sum, n) => sum + n, 0);
  printFigure(alone);
  printFigure({
    ...attacked,
    extra: {
      attacks_per_s: attacks / (args.warmup + args.seconds),
      answers: Object.entries(counts)
        .map(([status, n]) => `${n}x${status}`)
        .join(','),
    },
  });
  console.log(
    `ratio (h) health under attack / alone: p50 ${(attacked.p50Ms / alone.p50Ms).toFixed(2)}, ` +
      `p99 ${(attacked.p99Ms / alone.p99Ms).toFixed(2)} ` +
      `(+${(attacked.p50Ms - alone.p50Ms).toFixed(2)} ms, +${(attacked.p99Ms - alone.p99Ms).toFixed(2)} ms)`,
  );
}
