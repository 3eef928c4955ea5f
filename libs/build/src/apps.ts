/** Every app `npm run build` compiles: its name (the output folder) and its TypeScript entry. */
export const BUILT_APPS = {
  scoring: 'apps/scoring/src/main.ts',
  jobs: 'apps/jobs/src/main.ts',
  console: 'apps/console/src/main.ts',
  'lc-example': 'apps/lc-example/src/main.ts',
  scheduler: 'apps/scheduler/src/main.ts',
  'lc-gateway': 'apps/lc-gateway/src/main.ts',
  runner: 'apps/runner/src/main.ts',
  cli: 'apps/cli/src/main.ts',
} as const;

export type BuiltApp = keyof typeof BUILT_APPS;

/** Where an app's compiled entry is, relative to the workspace root. */
export function builtEntry(app: BuiltApp): string {
  return `dist/server/${app}/main.js`;
}

export function isBuiltApp(name: string): name is BuiltApp {
  return Object.hasOwn(BUILT_APPS, name);
}
