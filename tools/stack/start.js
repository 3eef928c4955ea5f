// `npm start` and `npm run dev`: tools/stack compiled by esbuild (a fraction of a second, every
// time, so it is never stale) and run by node, instead of through tsx, which takes seconds to load
// the stack's modules. The apps are compiled by the stack itself (libs/build).
import { build } from 'esbuild';

const outdir = 'dist/tools/stack';
await build({
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
await import(`../../${outdir}/main.js`);
