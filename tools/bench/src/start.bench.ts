import { join } from 'node:path';
import { buildApps, builtEntry, type BuiltApp } from '@checkwire/build';
import { startApp, stopApp, type AppSpec } from '@checkwire/proc';
import { startScoringOnPostgres } from './scoring-on-postgres.js';
import { Samples } from './stats.js';
import { FREE_METRICS_PORTS } from '@checkwire/testing';

const root = join(import.meta.dirname, '..', '..', '..');

/** One app as the bench starts it: its ready line and what it needs from those before it. */
interface Starting {
  app: BuiltApp;
  ready: RegExp;
  env: (addresses: Map<string, string>) => Record<string, string>;
}

// In the order `npm start` needs them; every port is 0, so nothing clashes with a running stack.
const APPS = (token: string, databaseUrl: string): Starting[] => [
  {
    app: 'scoring',
    ready: /gRPC listening on ([^\s"]+)/,
    env: () => ({ DATABASE_URL: databaseUrl, SCORING_PORT: '0' }),
  },
  {
    app: 'jobs',
    ready: /gRPC listening on ([^\s"]+)/,
    env: () => ({ DATABASE_URL: databaseUrl, JOBS_PORT: '0' }),
  },
  {
    app: 'console',
    ready: /HTTP listening on ([^\s"]+)/,
    env: (a) => ({
      SCORING_ADDRESS: a.get('scoring')!,
      JOBS_ADDRESS: a.get('jobs')!,
      CONSOLE_PORT: '0',
    }),
  },
  {
    app: 'lc-example',
    ready: /LcHandlerService listening on ([^\s"]+)/,
    env: () => ({ LC_EXAMPLE_PORT: '0' }),
  },
  {
    app: 'scheduler',
    ready: /gRPC listening on ([^\s"]+)/,
    env: (a) => ({
      DATABASE_URL: databaseUrl,
      SCHEDULER_PORT: '0',
      SCORING_ADDRESS: a.get('scoring')!,
      JOBS_ADDRESS: a.get('jobs')!,
      CHECKWIRE_TOKEN: token,
    }),
  },
  {
    app: 'lc-gateway',
    ready: /HTTP listening on ([^\s"]+)/,
    env: (a) => ({
      LC_GATEWAY_PORT: '0',
      LC_GATEWAY_ROUTES: JSON.stringify([
        { name: 'example', secret: 'bench', handler: a.get('lc-example') },
      ]),
      JOBS_ADDRESS: a.get('jobs')!,
      CHECKWIRE_TOKEN: token,
    }),
  },
  {
    app: 'runner',
    ready: /taking checks from ([^\s"]+)/,
    env: (a) => ({
      SCORING_ADDRESS: a.get('scoring')!,
      SCHEDULER_ADDRESS: a.get('scheduler')!,
      CHECKWIRE_TOKEN: token,
    }),
  },
];

/** Milliseconds from spawn to the ready line, `runs` times; the address of the last run. */
async function timeStarts(
  spec: AppSpec,
  env: NodeJS.ProcessEnv,
  runs: number,
): Promise<{ samples: Samples; address: string }> {
  const samples = new Samples();
  let address = '';
  for (let i = 0; i < runs; i += 1) {
    const began = performance.now();
    const app = await startApp(spec, env);
    samples.add(performance.now() - began);
    address = app.address;
    // The last run keeps serving: the apps after it reach it there.
    if (i < runs - 1) await stopApp(app);
    else stopped.push(() => stopApp(app));
  }
  return { samples, address };
}

const stopped: (() => Promise<void>)[] = [];

/**
 * (k) Each app from spawn to its ready line (listening, migrations done), median of `runs` starts,
 * compiled (`node dist/server/<app>/main.js`, what `npm start` runs) and from source (tsx), beside
 * the ceiling measured in the same run: a bare `node` that prints one line.
 */
export async function benchStart(runs = 5): Promise<void> {
  await buildApps(root);
  // Metrics on (a free port each), as apps run by default: their start includes binding /metrics.
  const base = { ...process.env, ...FREE_METRICS_PORTS, OTEL_EXPORTER_OTLP_ENDPOINT: '' };
  const bare = await timeStarts(
    {
      name: 'bare-node',
      entry: 'tools/bench/src/bare-start.js',
      ready: /ready (\S+)/,
      echo: false,
      cwd: root,
    },
    base,
    runs,
  );
  const floor = bare.samples.percentile(50);
  console.log(`(k) bare node, spawn to first line: p50 ${floor.toFixed(0)} ms (the ceiling)`);
  const postgres = await startScoringOnPostgres('start');
  try {
    for (const fromSource of [false, true]) {
      const addresses = new Map<string, string>();
      let total = 0;
      for (const s of APPS(postgres.adminToken, postgres.databaseUrl)) {
        const entry = fromSource ? `apps/${s.app}/src/main.ts` : builtEntry(s.app);
        const spec = { name: s.app, entry, ready: s.ready, echo: false, cwd: root };
        const { samples, address } = await timeStarts(spec, { ...base, ...s.env(addresses) }, runs);
        addresses.set(s.app, address);
        const p50 = samples.percentile(50);
        total += p50;
        console.log(
          `(k) start ${s.app.padEnd(10)} ${fromSource ? 'from source (tsx)' : 'compiled'.padEnd(17)} ` +
            `p50 ${p50.toFixed(0).padStart(5)} ms  ${(p50 / floor).toFixed(1).padStart(4)}× bare node`,
        );
      }
      console.log(
        `(k) all ${fromSource ? 'from source' : 'compiled'}, one after another: ${total.toFixed(0)} ms ` +
          `(${(total / floor).toFixed(1)}× bare node; npm start starts independent apps together)`,
      );
      for (const stop of stopped.splice(0).reverse()) await stop();
    }
  } finally {
    for (const stop of stopped.splice(0).reverse()) await stop();
    await postgres.stop();
  }
}
