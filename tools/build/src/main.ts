import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BUILT_APPS, buildApps, builtEntry, isBuiltApp, type BuiltApp } from '@checkwire/build';

// `npm run build` (through Nx, per app) or `tsx tools/build/src/main.ts [app…] [--force]`:
// compiles each app to dist/server/<app>/main.js, run by `node`.

const root = join(import.meta.dirname, '..', '..', '..');
const { values, positionals } = parseArgs({
  options: { force: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const unknown = positionals.filter((p) => !isBuiltApp(p));
if (unknown.length > 0) {
  console.error(`unknown app ${unknown.join(', ')}: one of ${Object.keys(BUILT_APPS).join(', ')}`);
  process.exit(2);
}
const apps = positionals.length > 0 ? (positionals as BuiltApp[]) : undefined;
try {
  for (const r of await buildApps(root, apps, values.force)) {
    const what = r.built ? `built in ${Math.round(r.ms)} ms` : 'up to date';
    console.log(`${r.app.padEnd(11)} ${builtEntry(r.app)}  ${what}`);
  }
} catch (err) {
  // esbuild has printed each error with its file and line.
  console.error(`build failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  process.exit(1);
}
