import { explainStartFailure, quietGrpcBindFailures, runMain } from '@checkwire/config';
import { stopOnSignals } from '@checkwire/proc';
import { startMetrics } from '@checkwire/metrics';
import { startTelemetry } from '@checkwire/telemetry';
import { loadConfig } from './config.js';
import { createLogger } from '@checkwire/log';

// A config error, a database that refuses or a port in use: one line on stderr, exit code 2.
await runMain('scheduler', async () => {
  const config = loadConfig();
  const LOG = createLogger('scheduler');
  const telemetry = await startTelemetry({ app: 'scheduler' });
  // /metrics is bound now (a port in use fails the start); the SDK loads once the app is ready.
  const metrics = await startMetrics({ app: 'scheduler', listen: config.metrics });
  const { SchedulerApp } = await import('@checkwire/scheduler');
  quietGrpcBindFailures((await import('@grpc/grpc-js')).setLogger);

  const app = await SchedulerApp.start({
    ...config,
    delivery: { concurrency: config.deliveryConcurrency },
    continuations: { unansweredBudgetMs: config.continuationUnansweredMs },
  }).catch(
    explainStartFailure({
      database: ['DATABASE_URL', config.databaseUrl],
      listen: { host: ['SCHEDULER_HOST', config.host], port: ['SCHEDULER_PORT', config.port] },
    }),
  );
  if (metrics.url !== undefined) LOG.announce(`metrics on ${metrics.url}`);
  LOG.announce(
    `gRPC listening on ${app.address} (LC services: ${
      config.lcHandlers.map((h) => h.name).join(', ') || 'none'
    }; LC extensions: ${
      config.lcExtensions.map((e) => e.name).join(', ') || 'none'
    }; check rounds every ${config.roundIntervalMs} ms)`,
  );
  metrics.load();
  stopOnSignals('scheduler', async () => {
    await app.stop();
    await metrics.shutdown();
    await telemetry.shutdown();
  });
});
