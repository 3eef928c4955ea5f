/* global process, URL */
// `npm start` and `npm run dev`: tools/stack compiled by esbuild (a fraction of a second, every
// time, so it is never stale) and run by node, instead of through tsx, which takes seconds to load
// the stack's modules. The apps are compiled by the stack itself (libs/build). The options repeat
// libs/build's: this file is plain JavaScript because it runs before anything is compiled.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outdir = 'dist/tools/stack';
// The stack runs itself again in a session of its own (src/detach.ts): that second run finds the
// stack compiled a moment ago by the first.
if (process.env.CHECKWIRE_STACK_SESSION !== '1') {
  await build({
    absWorkingDir: root,
    entryPoints: ['tools/stack/src/main.ts'],
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    splitting: true,
    sourcemap: 'linked',
    tsconfig: 'tsconfig.base.json',
    logLevel: 'warning',
  });
}
await import(`../../${outdir}/main.js`);
