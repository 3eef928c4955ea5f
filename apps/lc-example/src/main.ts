import { explainStartFailure, quietGrpcBindFailures, runMain } from '@checkwire/config';
import { stopOnSignals } from '@checkwire/proc';
import { startTelemetry } from '@checkwire/telemetry';
import { loadConfig } from './config.js';
import { createLogger } from '@checkwire/log';

// A config error or a port in use: one line on stderr, exit code 2.
await runMain('lc-example', async () => {
  const config = loadConfig();
  const LOG = createLogger('lc-example');
  const telemetry = await startTelemetry({ app: 'lc-example' });
  const { serveLcService } = await import('@checkwire/lc-sdk');
  const { ExampleService } = await import('./example.service.js');
  quietGrpcBindFailures((await import('@grpc/grpc-js')).setLogger);

  const server = await serveLcService(new ExampleService(), config).catch(
    explainStartFailure({
      listen: { host: ['LC_EXAMPLE_HOST', config.host], port: ['LC_EXAMPLE_PORT', config.port] },
    }),
  );
  LOG.announce(`LcHandlerService listening on ${server.address}`);
  stopOnSignals('lc-example', async () => {
    await server.shutdown();
    await telemetry.shutdown();
  });
});
