import { explainStartFailure, quietGrpcBindFailures, runMain } from '@checkwire/config';
import { stopOnSignals } from '@checkwire/proc';
import { startMetrics } from '@checkwire/metrics';
import { startTelemetry } from '@checkwire/telemetry';
import { loadConfig } from './config.js';
import { createLogger } from '@checkwire/log';

// A config error or a port in use: one line on stderr, exit code 2.
await runMain('lc-example', async () => {
  const config = loadConfig();
  const LOG = createLogger('lc-example');
  const telemetry = await startTelemetry({ app: 'lc-example' });
  // /metrics is bound now (a port in use fails the start); the SDK loads once the app is ready.
  const metrics = await startMetrics({ app: 'lc-example', listen: config.metrics });
  const { serveLcService } = await import('@checkwire/lc-sdk');
  const { ExampleService } = await import('./example.service.js');
  quietGrpcBindFailures((await import('@grpc/grpc-js')).setLogger);

  const server = await serveLcService(new ExampleService(), config).catch(
    explainStartFailure({
      listen: { host: ['LC_EXAMPLE_HOST', config.host], port: ['LC_EXAMPLE_PORT', config.port] },
    }),
  );
  if (metrics.url !== undefined) LOG.announce(`metrics on ${metrics.url}`);
  LOG.announce(`LcHandlerService listening on ${server.address}`);
  metrics.load();
  stopOnSignals('lc-example', async () => {
    await server.shutdown();
    await metrics.shutdown();
    await telemetry.shutdown();
  });
});
