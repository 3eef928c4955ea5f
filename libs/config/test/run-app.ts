import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { METRICS_DEFAULTS } from '../src/index.js';

const root = join(import.meta.dirname, '..', '..', '..');

/** Everything an app reads that the test's own environment might set: unset (empty) by default. */
const CLEAN: Record<string, string> = {
  DATABASE_URL: '',
  LC_GATEWAY_ROUTES: '',
  SCHEDULER_LC_HANDLERS: '',
  CHECKWIRE_TOKEN: '',
  LOG_LEVEL: '',
  LOG_FORMAT: '',
  OTEL_EXPORTER_OTLP_ENDPOINT: '',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
  // Should a start get further than expected, it takes a free port, not a running stack's.
  SCORING_PORT: '0',
  JOBS_PORT: '0',
  SCHEDULER_PORT: '0',
  LC_GATEWAY_PORT: '0',
  LC_EXAMPLE_PORT: '0',
  ...Object.fromEntries(Object.values(METRICS_DEFAULTS).map((d) => [d.portVar, '0'])),
};

export interface AppExit {
  /** null: still running after the time limit, and killed. */
  code: number | null;
  stderr: string;
}

/**
 * Runs `apps/<app>/src/main.ts` as its own process (node + tsx, as in production) with `env` on
 * top of a clean copy of the test's environment, and resolves with its exit code and stderr once
 * it exits. An app that starts after all is killed after `limitMs`.
 */
export function runApp(
  app: string,
  env: Record<string, string>,
  limitMs = 60_000,
): Promise<AppExit> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `apps/${app}/src/main.ts`],
      { cwd: root, env: { ...process.env, ...CLEAN, ...env }, timeout: limitMs },
      (err, _stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
        resolve({ code, stderr });
      },
    );
  });
}
