import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { SupervisedPostgres } from '@checkwire/db';
import { createLogger } from '@checkwire/log';
import { SupervisedApp } from '@checkwire/proc';
import { STACK_APPS, type StackContext } from './apps.js';
import { loadStackConfig } from './config.js';
import { lockDataDir } from './data-dir-lock.js';
import { requireFreePorts } from './free-ports.js';
import { runInOwnSession } from './detach.js';
import { maskPassword } from './mask-url.js';
import { lcExampleSecret, rotateAppTokens } from './secrets.js';
import { stackId } from './stack-id.js';
import { applyEventFile, checkEventFile } from './load-event.js';
import { ensureConsoleBuilt } from './console-build.js';

// `npm start`: the whole stack on this machine. PostgreSQL is embedded (under .data/) unless
// DATABASE_URL names another; every app runs as its own process, is restarted if it crashes, and
// prints its address.

if (!runInOwnSession()) await main();

async function main(): Promise<void> {
  const log = createLogger('checkwire');
  let config: ReturnType<typeof loadStackConfig>;
  let eventFile: string | undefined;
  try {
    // `npm start -- --event FILE`: the competition file applied once the stack is up.
    eventFile = parseArgs({ options: { event: { type: 'string' } } }).values.event;
    if (eventFile !== undefined) checkEventFile(eventFile);
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
    const context: StackContext = {
      databaseUrl,
      tokens: new Map(),
      lcSecret: lcExampleSecret(config.lcSecretFile),
      lcHandlerToken: randomBytes(32).toString('base64url'),
      addresses: new Map(),
    };
    const stack = stackId(dataRoot);
    for (const { spec, env } of STACK_APPS) {
      const app = new SupervisedApp(
        spec,
        () => ({ ...process.env, DATABASE_URL: context.databaseUrl, ...env(context) }),
        { log },
      );
      apps.push(app);
      context.addresses.set(spec.name, (await app.start()).address);
      // Scoring has migrated the database: the other apps' tokens can be minted now.
      if (spec.name === 'scoring') context.tokens = await rotateAppTokens(databaseUrl, stack);
    }
    if (eventFile !== undefined) {
      const scoring = context.addresses.get('scoring')!;
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
    const gateway = context.addresses.get('lc-gateway');
    console.log(
      `Try the example LimaCharlie service through the gateway:\n` +
        `  npm run lc-sim -- --url ${gateway}/example --secret ${context.lcSecret} --etype request \\\n` +
        `    --oid my-org --data '{"action": "list_sensors", "sensors": "sensor-1,sensor-2"}'`,
    );
    console.log('Press Ctrl-C to stop.');
  } catch (err) {
    log.error(`could not start: ${err instanceof Error ? err.message : String(err)}`);
    await stop(1);
  }
}
