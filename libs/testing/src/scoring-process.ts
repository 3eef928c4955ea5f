import { join } from 'node:path';
import { startApp, stopApp, type RunningApp } from '@checkwire/proc';
import { FREE_METRICS_PORTS } from './free-metrics-ports.js';

const root = join(import.meta.dirname, '..', '..', '..');

export interface ScoringProcess {
  app: RunningApp;
  address: string;
  /** The bootstrap admin token it printed. */
  adminToken: string;
  stop(): Promise<void>;
}

/** The real scoring server (apps/scoring) as its own process, over `databaseUrl`. */
export async function startScoringProcess(databaseUrl: string): Promise<ScoringProcess> {
  const app = await startApp(
    {
      name: 'scoring',
      entry: 'apps/scoring/src/main.ts',
      ready: /listening on ([^\s"]+)/,
      echo: false,
      cwd: root,
    },
    {
      ...process.env,
      ...FREE_METRICS_PORTS,
      DATABASE_URL: databaseUrl,
      SCORING_PORT: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    },
  );
  const token = /CHECKWIRE_TOKEN=(\S+)/.exec(app.output.join('\n'))?.[1];
  if (token === undefined) {
    await stopApp(app);
    throw new Error('scoring printed no bootstrap token: is the database fresh?');
  }
  return { app, address: app.address, adminToken: token, stop: () => stopApp(app) };
}
