import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres, type RunningPostgres } from '@checkwire/db';
import { STACK_APPS, type StackContext } from './apps.js';
import { maskPassword } from './mask-url.js';
import { lcExampleSecret, rotateAppTokens } from './secrets.js';
import { startApp, stopApp, type RunningApp } from '@checkwire/proc';
import { loadStackConfig } from './config.js';

// `npm start`: the whole stack on this machine. PostgreSQL is embedded (under .data/) unless
// DATABASE_URL names another; every app runs as its own process and prints its address.

const config = loadStackConfig();
let postgres: RunningPostgres | undefined;
const running: RunningApp[] = [];
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const app of [...running].reverse()) await stopApp(app);
    await postgres?.stop();
    console.log('checkwire: stopped');
  }
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  let databaseUrl = config.databaseUrl;
  if (databaseUrl === undefined) {
    postgres = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPostgresPort === 0 ? undefined : config.embeddedPostgresPort,
    });
    databaseUrl = postgres.url;
    console.log(
      `checkwire: embedded PostgreSQL at ${maskPassword(postgres.url)} (data in ${config.dataDir})`,
    );
  } else {
    console.log('checkwire: using the PostgreSQL named by DATABASE_URL');
  }
  const context: StackContext = {
    databaseUrl,
    tokens: new Map(),
    lcSecret: lcExampleSecret(config.lcSecretFile),
    lcHandlerToken: randomBytes(32).toString('base64url'),
    addresses: new Map(),
  };
  for (const { spec, env } of STACK_APPS) {
    const app = await startApp(spec, {
      ...process.env,
      DATABASE_URL: databaseUrl,
      ...env(context),
    });
    running.push(app);
    context.addresses.set(spec.name, app.address);
    // Scoring has migrated the database: the other apps' tokens can be minted now.
    if (spec.name === 'scoring') context.tokens = await rotateAppTokens(databaseUrl);
    void app.exited.then((exitCode) => {
      if (!stopping) {
        console.error(`checkwire: ${spec.name} exited unexpectedly (code ${exitCode}); stopping`);
        void stop(1);
      }
    });
  }
  console.log('checkwire: ready');
  for (const app of running) console.log(`  ${app.spec.name.padEnd(12)} ${app.address}`);
  const gateway = context.addresses.get('lc-gateway');
  console.log(
    `Try the example LimaCharlie service through the gateway:\n` +
      `  npm run lc-sim -- --url ${gateway}/example --secret ${context.lcSecret} --etype request \\\n` +
      `    --oid my-org --data '{"action": "list_sensors", "sensors": "sensor-1,sensor-2"}'`,
  );
  console.log('Press Ctrl-C to stop.');
} catch (err) {
  console.error(`checkwire: could not start: ${err instanceof Error ? err.message : String(err)}`);
  await stop(1);
}
