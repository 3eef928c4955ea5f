import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@checkwire/db';
import { profiled } from './profile.js';
import { startApp, stopApp } from '@checkwire/proc';
import { FREE_METRICS_PORTS } from '@checkwire/testing';

export interface ScoringOnPostgres {
  /** The scoring server's address. */
  address: string;
  databaseUrl: string;
  /** The bootstrap admin token it printed. */
  adminToken: string;
  stop(): Promise<void>;
}

/**
 * A fresh embedded PostgreSQL in a temporary folder and `apps/scoring` as its own process over
 * it, as every benchmark that measures scoring starts them. `env` adds to the app's environment.
 */
export async function startScoringOnPostgres(
  name: string,
  env: Record<string, string> = {},
): Promise<ScoringOnPostgres> {
  const dataDir = mkdtempSync(join(tmpdir(), `checkwire-bench-${name}-`));
  chmodSync(dataDir, 0o755);
  const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), persistent: false });
  const app = await startApp(
    profiled({
      name: 'scoring',
      entry: 'apps/scoring/src/main.ts',
      ready: /listening on ([^\s"]+)/,
      echo: false,
    }),
    {
      ...process.env,
      ...FREE_METRICS_PORTS,
      DATABASE_URL: postgres.url,
      SCORING_PORT: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      ...env,
    },
  );
  const adminToken = /CHECKWIRE_TOKEN=(\S+)/.exec(app.output.join('\n'))?.[1];
  if (adminToken === undefined) throw new Error('scoring printed no bootstrap token');
  return {
    address: app.address,
    databaseUrl: postgres.url,
    adminToken,
    async stop() {
      await stopApp(app);
      await postgres.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
