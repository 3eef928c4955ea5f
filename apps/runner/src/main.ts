import { runMain } from '@checkwire/config';
import { stopOnSignals } from '@checkwire/proc';
import { startMetrics } from '@checkwire/metrics';
import { startTelemetry } from '@checkwire/telemetry';
import { loadConfig } from './config.js';
import { createLogger } from '@checkwire/log';

// A config error: one line on stderr, exit code 2.
await runMain('runner', async () => {
  const config = loadConfig();
  const LOG = createLogger('runner');
  const telemetry = await startTelemetry({ app: 'runner' });
  // /metrics is bound now (a port in use fails the start); the SDK loads once the app is ready.
  const metrics = await startMetrics({ app: 'runner', listen: config.metrics });
  // After telemetry: grpc-js is instrumented only if loaded after it.
  const { createPromiseClient } = await import('@checkwire/grpc');
  const { CheckRunner } = await import('@checkwire/runner');
  const { AdminServiceService, CheckQueueServiceService, ScoringServiceService } =
    await import('@checkwire/proto');

  const options = { token: config.token, tls: config.clientTls };
  const clients = {
    queue: createPromiseClient(CheckQueueServiceService, config.schedulerAddress, options),
    scoring: createPromiseClient(ScoringServiceService, config.scoringAddress, options),
    admin: createPromiseClient(AdminServiceService, config.scoringAddress, options),
  };
  const runner = new CheckRunner(clients, config);
  runner.start();
  if (metrics.url !== undefined) LOG.announce(`metrics on ${metrics.url}`);
  const pools = config.pools.map((p) => (p === '' ? 'default' : p)).join(', ');
  // "taking checks from <address>" is what the stack, the fault suite and the benches wait for.
  LOG.announce(
    `${config.runnerId} taking checks from ${config.schedulerAddress} (pool${config.pools.length > 1 ? 's' : ''} ${pools}; up to ${config.concurrency} at once)`,
  );
  metrics.load();
  stopOnSignals('runner', async () => {
    await runner.stop();
    Object.values(clients).forEach((c) => c.close());
    await metrics.shutdown();
    await telemetry.shutdown();
  });
});
