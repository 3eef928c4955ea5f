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
  const { serveLcHandlers } = await import('@checkwire/lc-sdk');
  const { ExampleService } = await import('./example.service.js');
  const { ExampleExtension } = await import('./example.extension.js');
  quietGrpcBindFailures((await import('@grpc/grpc-js')).setLogger);

  // The service and the extension on one port, behind one token.
  const handlers = { service: new ExampleService(), extension: new ExampleExtension() };
  const server = await serveLcHandlers(handlers, config).catch(
    explainStartFailure({
      listen: { host: ['LC_EXAMPLE_HOST', config.host], port: ['LC_EXAMPLE_PORT', config.port] },
    }),
  );
  if (metrics.url !== undefined) LOG.announce(`metrics on ${metrics.url}`);
  LOG.announce(
    `LcHandlerService listening on ${server.address} (service example; LcExtensionService there too: extension example-ext)`,
  );
  metrics.load();
  stopOnSignals('lc-example', async () => {
    await server.shutdown();
    await metrics.shutdown();
    await telemetry.shutdown();
  });
});
