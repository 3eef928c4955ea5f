import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApps, builtEntry, type BuiltApp } from '@checkwire/build';
import { SupervisedPostgres } from '@checkwire/db';
import { createLogger } from '@checkwire/log';
import { SupervisedApp } from '@checkwire/proc';
import { STACK_APPS, type StackContext } from './apps.js';
import { loadStackConfig } from './config.js';
import { lockDataDir } from './data-dir-lock.js';
import { requireFreePorts } from './free-ports.js';
import { maskPassword } from './mask-url.js';
import { migrateDatabase } from './migrate.js';
import { restartOnChange } from './restart-on-change.js';
import { lcExampleSecret, rotateAppTokens } from './secrets.js';
import { stackId } from './stack-id.js';
import { ensureConsoleBuilt } from './console-build.js';
import { fixedAddresses } from './fixed-addresses.js';
import { WORKSPACE_ROOT } from './root.js';

/**
 * The whole stack on this machine. PostgreSQL is embedded (under .data/) unless DATABASE_URL
 * names another; every app runs as its own process, is restarted if it crashes, and prints its
 * address.
 */
export async function runStack(): Promise<void> {
  const log = createLogger('checkwire');
  let config: ReturnType<typeof loadStackConfig>;
  let eventFile: string | undefined;
  let dev = false;
  try {
    // `npm start -- --event FILE`: the competition file applied once the stack is up.
    // `npm run dev` (--dev): the apps from source, each restarted when a file it loaded changes.
    const { values } = parseArgs({
      options: { event: { type: 'string' }, dev: { type: 'boolean', default: false } },
    });
    eventFile = values.event;
    dev = values.dev;
    // Loaded only for --event: the competition file's parser and schema are not needed otherwise.
    if (eventFile !== undefined) (await import('./load-event.js')).checkEventFile(eventFile);
    config = loadStackConfig();
  } catch (err) {
    log.error(`could not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
  const dataRoot = dirname(config.dataDir);
  mkdirSync(dataRoot, { recursive: true });
  let release: () => void;
  try {
    release = lockDataDir(dataRoot);
  } catch (err) {
    log.error(`could not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  try {
    await requireFreePorts(process.env);
  } catch (err) {
    release();
    log.error(`could not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
  let postgres: SupervisedPostgres | undefined;
  const apps: SupervisedApp[] = [];
  let stopping = false;

  async function stop(code: number): Promise<void> {
    // A second signal while stopping (Ctrl-C twice, or a signal to the group and one forwarded)
    // must not exit at once: PostgreSQL and the apps would be left running without the stack.
    if (stopping) {
      log.info('stopping already: waiting for the apps, then PostgreSQL, to stop');
      return;
    }
    stopping = true;
    // The apps first (they drain, using the database), PostgreSQL last.
    for (const app of [...apps].reverse()) await app.stop();
    await postgres?.stop();
    release();
    log.info('stopped');
    process.exit(code);
  }
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    // Compiled while PostgreSQL starts: compiled JavaScript starts several times faster than tsx,
    // and only what changed is rebuilt. A failure is reported after PostgreSQL is up (and stopped).
    const compiling = dev ? Promise.resolve() : compileApps(log);
    compiling.catch(() => undefined);
    let databaseUrl = config.databaseUrl;
    if (databaseUrl === undefined) {
      postgres = await SupervisedPostgres.start(
        {
          dataDir: config.dataDir,
          port: config.embeddedPostgresPort === 0 ? undefined : config.embeddedPostgresPort,
        },
        log,
      );
      databaseUrl = postgres.url;
      log.info(`embedded PostgreSQL at ${maskPassword(postgres.url)} (data in ${config.dataDir})`);
    } else {
      log.info('using the PostgreSQL named by DATABASE_URL');
    }
    ensureConsoleBuilt(log);
    await Promise.all([compiling, migrateDatabase(databaseUrl)]);
    const stack = stackId(dataRoot);
    // Minted on the migrated database before any app starts: no app waits for another's tokens.
    const { tokens, bootstrapAdmin } = await rotateAppTokens(databaseUrl, stack);
    if (bootstrapAdmin !== undefined) {
      // Printed once, on the first start over an empty database; only its hash is stored. Not a
      // log line: the operator must see it whatever LOG_LEVEL says.
      console.log(
        `checkwire: no API token existed, so an admin token was created. It is shown this once:\n` +
          `  CHECKWIRE_TOKEN=${bootstrapAdmin}\n` +
          `  (use it as 'authorization: Bearer <token>'; mint others with: npm run cli -- tokens create)`,
      );
    }
    const context: StackContext = {
      databaseUrl,
      tokens,
      lcSecret: lcExampleSecret(config.lcSecretFile),
      lcHandlerToken: randomBytes(32).toString('base64url'),
      addresses: fixedAddresses(process.env),
    };
    const supervised = new Map<string, SupervisedApp>();
    for (const { spec, env } of STACK_APPS) {
      const entry = dev ? spec.entry : builtEntry(spec.name as BuiltApp);
      const app = new SupervisedApp(
        { ...spec, entry },
        () => ({ ...process.env, DATABASE_URL: context.databaseUrl, ...env(context) }),
        { log },
      );
      apps.push(app);
      supervised.set(spec.name, app);
    }
    const began = performance.now();
    const ready = new Map<string, Promise<void>>();
    // Each app once, when what it is `after` is ready: apps that do not need each other start
    // together (a dependency that failed fails its dependents without starting them).
    const startWhenReady = (name: string): Promise<void> => {
      let started = ready.get(name);
      if (started === undefined) {
        const { needs, after } = STACK_APPS.find((a) => a.spec.name === name)!;
        const awaited = [...after, ...needs.filter((n) => !context.addresses.has(n))];
        started = Promise.all(awaited.map(startWhenReady)).then(async () => {
          // Ctrl-C during the start: what has not started yet never will.
          if (stopping) throw new Error('stopping');
          const spawned = performance.now();
          context.addresses.set(name, (await supervised.get(name)!.start()).address);
          log.info(`${name} ready in ${Math.round(performance.now() - spawned)} ms`);
        });
        ready.set(name, started);
      }
      return started;
    };
    // Every start settles before a failure is reported, so stopping finds every process started.
    const outcomes = await Promise.allSettled(STACK_APPS.map((a) => startWhenReady(a.spec.name)));
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
    log.info(`${apps.length} apps ready in ${Math.round(performance.now() - began)} ms`);
    if (dev) restartOnChange(apps, log);
    if (eventFile !== undefined) {
      const scoring = context.addresses.get('scoring')!;
      const { applyEventFile } = await import('./load-event.js');
      console.log(await applyEventFile(eventFile, databaseUrl, scoring, stack));
    }
    log.info('ready');
    for (const app of apps) {
      const shown =
        app.spec.name === 'runner'
          ? '(takes checks from the scheduler)'
          : app.spec.name === 'console'
            ? `${app.address}  (the web console: open it in a browser)`
            : app.address;
      console.log(`  ${app.spec.name.padEnd(12)} ${shown}`);
    }
    // Where each app serves Prometheus metrics (it printed it before its ready line).
    const scraped = apps.flatMap((app) => {
      const url = app.current?.output
        .map((line) => /metrics on (http:\/\/[^\s"]+)/.exec(line)?.[1])
        .find((u) => u !== undefined);
      return url === undefined ? [] : [`  ${app.spec.name.padEnd(12)} ${url}`];
    });
    if (scraped.length > 0) {
      console.log('Prometheus metrics (deploy/grafana/checkwire.json is a dashboard of them):');
      for (const line of scraped) console.log(line);
    }
    const gateway = context.addresses.get('lc-gateway');
    console.log(
      `Try the example LimaCharlie service through the gateway:\n` +
        `  npm run lc-sim -- --url ${gateway}/example --secret ${context.lcSecret} --etype request \\\n` +
        `    --oid my-org --data '{"action": "list_sensors", "sensors": "sensor-1,sensor-2"}'\n` +
        `and the example extension (a continuation, delivered by the scheduler 5 s later):\n` +
        `  npm run lc-sim -- --extension --url ${gateway}/ext/example-ext --secret ${context.lcSecret} \\\n` +
        `    --kind request --action remind --oid my-org --data '{"message": "hello", "in_seconds": 5}'`,
    );
    console.log('Press Ctrl-C to stop.');
  } catch (err) {
    log.error(`could not start: ${err instanceof Error ? err.message : String(err)}`);
    await stop(1);
  }
}

/** Compiles the stack's apps that are not current, with one line when anything was compiled. */
async function compileApps(log: ReturnType<typeof createLogger>): Promise<void> {
  const results = await buildApps(
    WORKSPACE_ROOT,
    STACK_APPS.map((a) => a.spec.name as BuiltApp),
  );
  const built = results.filter((r) => r.built).map((r) => r.app);
  const ms = Math.round(results.reduce((sum, r) => sum + r.ms, 0));
  if (built.length > 0) log.info(`compiled ${built.join(', ')} (dist/server) in ${ms} ms`);
}
