import { stopOnSignals } from '@checkwire/proc';
import { startTelemetry } from '@checkwire/telemetry';
import { loadConfig } from './config.js';

const config = loadConfig();
// Telemetry first: grpc-js, pg and http are instrumented only if loaded after it.
const telemetry = startTelemetry({ app: 'jobs' });
const { JobsApp } = await import('@checkwire/jobs');

const app = await JobsApp.start(config);
console.log(`jobs: gRPC${config.tls ? ' (TLS)' : ''} listening on ${app.address}`);
stopOnSignals('jobs', async () => {
  await app.stop();
  await telemetry.shutdown();
});
