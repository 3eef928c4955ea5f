import { watch } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@checkwire/log';
import type { SupervisedApp } from '@checkwire/proc';
import { WORKSPACE_ROOT } from './root.js';

/** Where the apps' sources are. */
const SOURCES = ['apps', 'libs'];
/** Saves within this long of each other restart the apps once. */
const SETTLE_MS = 300;

/**
 * `npm run dev`: when a TypeScript source under apps/ or libs/ changes, every app is stopped and
 * started again from source, one after another, on its address. The stack's supervision stays as
 * it is (an app that crashes is restarted, one that fails to start says so).
 */
export function restartOnChange(apps: SupervisedApp[], log: Logger): void {
  let timer: NodeJS.Timeout | undefined;
  let restarting: Promise<void> = Promise.resolve();
  const restart = (file: string) => {
    restarting = restarting.then(async () => {
      log.info(`${file} changed: restarting the apps`);
      for (const app of apps) {
        try {
          await app.restartNow();
        } catch (err) {
          log.error(`${app.spec.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    });
  };
  for (const dir of SOURCES) {
    watch(join(WORKSPACE_ROOT, dir), { recursive: true }, (_event, file) => {
      if (file === null || !/\.tsx?$/.test(file) || file.includes('node_modules')) return;
      clearTimeout(timer);
      timer = setTimeout(() => restart(join(dir, file)), SETTLE_MS);
    }).unref();
  }
}
