import { stopOnSignals } from '@checkwire/proc';
import { startTelemetry } from '@checkwire/telemetry';
import { loadConfig } from './config.js';

const config = loadConfig();
const telemetry = startTelemetry({ app: 'lc-example' });
const { serveLcService } = await import('@checkwire/lc-sdk');
const { ExampleService } = await import('./example.service.js');

const server = await serveLcService(new ExampleService(), config);
console.log(`lc-example: LcHandlerService listening on ${server.address}`);
stopOnSignals('lc-example', async () => {
  await server.shutdown();
  await telemetry.shutdown();
});
