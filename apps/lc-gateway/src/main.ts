import { explainStartFailure, runMain } from '@checkwire/config';
import { stopOnSignals } from '@checkwire/proc';
import { startMetrics } from '@checkwire/metrics';
import { startTelemetry } from '@checkwire/telemetry';
import { loadConfig } from './config.js';
import { createLogger } from '@checkwire/log';

// A config error or a port in use: one line on stderr, exit code 2.
await runMain('lc-gateway', async () => {
  const config = loadConfig();
  const LOG = createLogger('lc-gateway');
  const telemetry = await startTelemetry({ app: 'lc-gateway' });
  // /metrics is bound now (a port in use fails the start); the SDK loads once the app is ready.
  const metrics = await startMetrics({ app: 'lc-gateway', listen: config.metrics });
  const { LcGatewayApp } = await import('@checkwire/lc-gateway');

  const app = await LcGatewayApp.start(config).catch(
    explainStartFailure({
      listen: { host: ['LC_GATEWAY_HOST', config.host], port: ['LC_GATEWAY_PORT', config.port] },
    }),
  );
  if (metrics.url !== undefined) LOG.announce(`metrics on ${metrics.url}`);
  const names = (list: { name: string }[]) => list.map((r) => r.name).join(', ') || 'none';
  LOG.announce(
    `HTTP listening on ${app.url} (services: ${names(config.routes)}; extensions: ${names(config.extensions)})`,
  );
  metrics.load();
  stopOnSignals('lc-gateway', async () => {
    await app.stop();
    await metrics.shutdown();
    await telemetry.shutdown();
  });
});
