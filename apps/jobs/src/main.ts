import { explainStartFailure, quietGrpcBindFailures, runMain } from '@checkwire/config';
import { stopOnSignals } from '@checkwire/proc';
import { startMetrics } from '@checkwire/metrics';
import { startTelemetry } from '@checkwire/telemetry';
import { loadConfig } from './config.js';
import { createLogger } from '@checkwire/log';

// A config error, a database that refuses or a port in use: one line on stderr, exit code 2.
await runMain('jobs', async () => {
  const config = loadConfig();
  const LOG = createLogger('jobs');
  // Telemetry first: grpc-js, pg and http are instrumented only if loaded after it.
  const telemetry = await startTelemetry({ app: 'jobs' });
  // /metrics is bound now (a port in use fails the start); the SDK loads once the app is ready.
  const metrics = await startMetrics({ app: 'jobs', listen: config.metrics });
  const { JobsApp } = await import('@checkwire/jobs');
  quietGrpcBindFailures((await import('@grpc/grpc-js')).setLogger);

  const app = await JobsApp.start(config).catch(
    explainStartFailure({
      database: ['DATABASE_URL', config.databaseUrl],
      listen: { host: ['JOBS_HOST', config.host], port: ['JOBS_PORT', config.port] },
    }),
  );
  if (metrics.url !== undefined) LOG.announce(`metrics on ${metrics.url}`);
  LOG.announce(`gRPC${config.tls ? ' (TLS)' : ''} listening on ${app.address}`);
  metrics.load();
  stopOnSignals('jobs', async () => {
    await app.stop();
    await metrics.shutdown();
    await telemetry.shutdown();
  });
});
