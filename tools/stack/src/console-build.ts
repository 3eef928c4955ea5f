import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@checkwire/log';
import { WORKSPACE_ROOT } from './root.js';

const SOURCES = [
  join(WORKSPACE_ROOT, 'apps/console/web'),
  join(WORKSPACE_ROOT, 'apps/console/vite.config.ts'),
];
const BUILT = join(WORKSPACE_ROOT, 'dist/apps/console/index.html');

/** The newest modification time under `path` (a file or a directory). */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/**
 * Builds the console's front end when it was never built or its sources changed since (what
 * `npm run build` does for every app), so `npm start` on a fresh clone serves a current page.
 */
export function ensureConsoleBuilt(log: Logger): void {
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= Math.max(...SOURCES.map(newest))) return;
  log.info('building the web console’s front end (once, until its sources change)');
  const vite = join(WORKSPACE_ROOT, 'node_modules/.bin/vite');
  const run = spawnSync(
    vite,
    ['build', '--config', 'apps/console/vite.config.ts', '--logLevel', 'warn'],
    { cwd: WORKSPACE_ROOT, encoding: 'utf8' },
  );
  if (run.status !== 0) {
    throw new Error(
      `the console's front end did not build (vite exited ${run.status ?? run.signal}):\n${run.stderr || run.stdout}`,
    );
  }
}
