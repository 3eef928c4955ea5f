import { stopOnSignals } from '@checkwire/proc';
import { startTelemetry } from '@checkwire/telemetry';
import { loadConfig } from './config.js';
import { createLogger } from '@checkwire/log';

const config = loadConfig();
const LOG = createLogger('scheduler');
const telemetry = startTelemetry({ app: 'scheduler' });
const { SchedulerApp } = await import('@checkwire/scheduler');

const app = await SchedulerApp.start({
  ...config,
  delivery: { concurrency: config.deliveryConcurrency },
});
LOG.info(
  `gRPC listening on ${app.address} (LC services: ${
    config.lcHandlers.map((h) => h.name).join(', ') || 'none'
  }; check rounds every ${config.roundIntervalMs} ms)`,
);
stopOnSignals('scheduler', async () => {
  await app.stop();
  await telemetry.shutdown();
});
