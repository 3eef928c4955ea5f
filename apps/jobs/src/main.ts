import { stopOnSignals } from '@checkwire/proc';
import { startTelemetry } from '@checkwire/telemetry';
import { loadConfig } from './config.js';
import { createLogger } from '@checkwire/log';

const config = loadConfig();
const LOG = createLogger('jobs');
// Telemetry first: grpc-js, pg and http are instrumented only if loaded after it.
const telemetry = startTelemetry({ app: 'jobs' });
const { JobsApp } = await import('@checkwire/jobs');

const app = await JobsApp.start(config);
LOG.info(`gRPC${config.tls ? ' (TLS)' : ''} listening on ${app.address}`);
stopOnSignals('jobs', async () => {
  await app.stop();
  await telemetry.shutdown();
});
