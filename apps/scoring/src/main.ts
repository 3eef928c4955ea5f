import { ScoringApp } from '@checkwire/scoring';
import { loadConfig } from './config.js';

const config = loadConfig();
const app = await ScoringApp.start(config);
console.log(`scoring: gRPC listening on ${app.address}`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`scoring: ${signal}, draining`);
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('scoring: unclean stop', err);
        process.exit(1);
      },
    );
  });
}
