import { stopOnSignals } from '@checkwire/proc';
import { startTelemetry } from '@checkwire/telemetry';
import { loadConfig } from './config.js';
import { createLogger } from '@checkwire/log';

const config = loadConfig();
const LOG = createLogger('lc-example');
const telemetry = startTelemetry({ app: 'lc-example' });
const { serveLcService } = await import('@checkwire/lc-sdk');
const { ExampleService } = await import('./example.service.js');

const server = await serveLcService(new ExampleService(), config);
LOG.info(`LcHandlerService listening on ${server.address}`);
stopOnSignals('lc-example', async () => {
  await server.shutdown();
  await telemetry.shutdown();
});
