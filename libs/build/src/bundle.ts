import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { build, version, type BuildOptions, type Metafile } from 'esbuild';
import { BUILT_APPS, builtEntry, type BuiltApp } from './apps.js';
import { BUNDLE_BANNER, BUNDLED_PACKAGES, externalExceptBundled } from './bundled-packages.js';

/**
 * Files the code reads beside itself at run time (relative to the module that reads them), copied
 * next to the bundle: `new URL('./gen/descriptor.binpb', import.meta.url)` in libs/proto.
 */
const ASSETS = [{ from: 'libs/proto/src/gen/descriptor.binpb', to: 'gen/descriptor.binpb' }];

/** What a build wrote, to tell next time whether it is still current. */
interface Stamp {
  /** A hash of the esbuild options: a changed build recipe rebuilds everything. */
  recipe: string;
  /** Every source file the bundle was made of (from esbuild's metafile), and the assets. */
  inputs: string[];
  /** Epoch ms when the build began: an input changed after that (even during it) is newer. */
  began: number;
}

export interface BuildResult {
  app: BuiltApp;
  /** False when the output was current and nothing was done. */
  built: boolean;
  ms: number;
}

function options(root: string, app: BuiltApp, outdir: string): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [BUILT_APPS[app]],
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // node_modules stay where npm put them (native, dynamically loaded and instrumented packages
    // work as they are), except a few pure-JavaScript ones that load faster compiled in
    // (BUNDLED_PACKAGES); our own libs, mapped by tsconfig paths, are compiled in.
    plugins: [externalExceptBundled],
    // CommonJS packages compiled in (yaml's Node build) require Node's own modules: give every
    // output file the `require` an ES module lacks.
    banner: { js: BUNDLE_BANNER },
    // Lazy `await import()`s (telemetry first, the server after) stay lazy: separate chunks.
    splitting: true,
    sourcemap: 'linked',
    metafile: true,
    tsconfig: 'tsconfig.base.json',
    logLevel: 'warning',
  };
}

/**
 * What else decides the output besides the sources: the options, esbuild's version, the tsconfig
 * esbuild reads (paths, compiler options) and the assets copied.
 */
const recipeOf = (root: string, o: BuildOptions) =>
  createHash('sha256')
    .update(
      JSON.stringify({ ...o, absWorkingDir: '', outdir: '', version, ASSETS, BUNDLED_PACKAGES }),
    )
    .update(readFileSync(join(root, 'tsconfig.base.json')))
    .digest('hex');

/** True when the output exists and no input is newer than it (nor gone, nor the recipe changed). */
function current(root: string, stampFile: string, recipe: string): boolean {
  if (!existsSync(stampFile)) return false;
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as Stamp;
  } catch {
    return false;
  }
  if (stamp.recipe !== recipe || typeof stamp.began !== 'number') return false;
  return stamp.inputs.every((input) => {
    const path = join(root, input);
    return existsSync(path) && statSync(path).mtimeMs < stamp.began;
  });
}

/**
 * Compiles one app to `dist/server/<app>/` (ESM, source maps, our libs bundled, node_modules
 * left external), unless what is there was built from the same sources and recipe.
 */
export async function buildApp(
  root: string,
  app: BuiltApp,
  force = false,
  /** Where to write instead of dist/server/<app> (it must be inside `root`, to find node_modules). */
  outdirOverride?: string,
): Promise<BuildResult> {
  const began = performance.now();
  const outdir = outdirOverride ?? dirname(join(root, builtEntry(app)));
  const entry = join(outdir, 'main.js');
  const stampFile = join(outdir, 'build-stamp.json');
  const recipe = recipeOf(root, options(root, app, outdir));
  if (!force && existsSync(entry) && current(root, stampFile, recipe)) {
    return { app, built: false, ms: performance.now() - began };
  }
  // Built beside the output and moved into place whole: an app (re)started meanwhile never
  // finds a half-written folder.
  const scratch = `${outdir}.building-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  const startedAt = Date.now();
  try {
    const result = await build(options(root, app, scratch));
    for (const asset of ASSETS) {
      mkdirSync(dirname(join(scratch, asset.to)), { recursive: true });
      copyFileSync(join(root, asset.from), join(scratch, asset.to));
    }
    const inputs = Object.keys((result.metafile as Metafile).inputs).filter(
      (f) => !f.startsWith('node_modules/'),
    );
    const stamp: Stamp = {
      recipe,
      inputs: [...inputs, ...ASSETS.map((a) => a.from)],
      began: startedAt,
    };
    writeFileSync(join(scratch, 'build-stamp.json'), JSON.stringify(stamp, null, 1));
    rmSync(outdir, { recursive: true, force: true });
    renameSync(scratch, outdir);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { app, built: true, ms: performance.now() - began };
}

/** Builds the apps (all by default) that are not current, one after another. */
export async function buildApps(
  root: string,
  apps: readonly BuiltApp[] = Object.keys(BUILT_APPS) as BuiltApp[],
  force = false,
): Promise<BuildResult[]> {
  const results: BuildResult[] = [];
  for (const app of apps) results.push(await buildApp(root, app, force));
  return results;
}
