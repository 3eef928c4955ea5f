import { explainStartFailure, quietGrpcBindFailures, runMain } from '@checkwire/config';
import { stopOnSignals } from '@checkwire/proc';
import { startMetrics } from '@checkwire/metrics';
import { startTelemetry } from '@checkwire/telemetry';
import { loadConfig } from './config.js';
import { createLogger } from '@checkwire/log';

// A config error, a database that refuses or a port in use: one line on stderr, exit code 2.
await runMain('scoring', async () => {
  const config = loadConfig();
  const LOG = createLogger('scoring');
  // Telemetry first: grpc-js, pg and http are instrumented only if loaded after it.
  const telemetry = await startTelemetry({
    app: 'scoring',
    // The four actions are recorded inside their check's trace (see libs/scoring check-tracing).
    untracedGrpcMethods: [
      'InsertServiceScoreInProgress',
      'InsertServiceScore',
      'InsertServiceScoreDone',
      'ReportServiceError',
    ],
  });
  // /metrics is bound now (a port in use fails the start); the SDK loads once the app is ready.
  const metrics = await startMetrics({ app: 'scoring', listen: config.metrics });
  const { ScoringApp } = await import('@checkwire/scoring');
  quietGrpcBindFailures((await import('@grpc/grpc-js')).setLogger);

  const app = await ScoringApp.start({ ...config, tracing: telemetry.enabled }).catch(
    explainStartFailure({
      database: ['DATABASE_URL', config.databaseUrl],
      listen: { host: ['SCORING_HOST', config.host], port: ['SCORING_PORT', config.port] },
    }),
  );
  if (app.bootstrapToken !== undefined) {
    // Printed once, on the first start over an empty database; only its hash is stored. Not a log
    // line: the operator must see it whatever LOG_LEVEL says.
    console.log(
      `scoring: no API token existed, so an admin token was created. It is shown this once:\n` +
        `  CHECKWIRE_TOKEN=${app.bootstrapToken.secret}\n` +
        `  (use it as 'authorization: Bearer <token>'; mint others with: npm run cli -- tokens create)`,
    );
  }
  if (metrics.url !== undefined) LOG.announce(`metrics on ${metrics.url}`);
  LOG.announce(
    `gRPC${config.tls ? ' (TLS)' : ''} listening on ${app.address}` +
      (telemetry.enabled ? ' (exporting traces over OTLP)' : ''),
  );
  metrics.load();

  stopOnSignals('scoring', async () => {
    await app.stop();
    await metrics.shutdown();
    await telemetry.shutdown();
  });
});
