import { stopOnSignals } from '@checkwire/proc';
import { startTelemetry } from '@checkwire/telemetry';
import { loadConfig } from './config.js';
import { createLogger } from '@checkwire/log';

const config = loadConfig();
const LOG = createLogger('lc-gateway');
const telemetry = startTelemetry({ app: 'lc-gateway' });
const { LcGatewayApp } = await import('@checkwire/lc-gateway');

const app = await LcGatewayApp.start(config);
LOG.info(`HTTP listening on ${app.url} (services: ${config.routes.map((r) => r.name).join(', ')})`);
stopOnSignals('lc-gateway', async () => {
  await app.stop();
  await telemetry.shutdown();
});
