import { explainStartFailure, runMain } from '@checkwire/config';
import { createLogger } from '@checkwire/log';
import { stopOnSignals } from '@checkwire/proc';
import { startMetrics } from '@checkwire/metrics';
import { startTelemetry } from '@checkwire/telemetry';
import { loadConfig } from './config.js';

// A config error or a port in use: one line on stderr, exit code 2.
await runMain('console', async () => {
  const config = loadConfig();
  const LOG = createLogger('console');
  // Telemetry first: http and grpc-js are instrumented only if loaded after it.
  const telemetry = await startTelemetry({ app: 'console' });
  // /metrics is bound now (a port in use fails the start); the SDK loads once the app is ready.
  const metrics = await startMetrics({ app: 'console', listen: config.metrics });
  const { ConsoleApp } = await import('@checkwire/console');

  const app = await ConsoleApp.start({
    scoringAddress: config.scoringAddress,
    jobsAddress: config.jobsAddress,
    clientTls: config.clientTls,
    host: config.host,
    port: config.port,
    staticDir: config.staticDir,
    jaegerUrl: config.jaegerUrl,
    secureCookies: config.secureCookies,
    log: LOG,
  }).catch(
    explainStartFailure({
      listen: { host: ['CONSOLE_HOST', config.host], port: ['CONSOLE_PORT', config.port] },
    }),
  );
  if (metrics.url !== undefined) LOG.announce(`metrics on ${metrics.url}`);
  LOG.announce(`HTTP listening on ${app.address} (the web console)`);
  metrics.load();
  stopOnSignals('console', async () => {
    await app.stop();
    await metrics.shutdown();
    await telemetry.shutdown();
  });
});
