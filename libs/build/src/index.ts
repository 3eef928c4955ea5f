export { BUILT_APPS, builtEntry, isBuiltApp } from './apps.js';
export type { BuiltApp } from './apps.js';
export { buildApp, buildApps } from './bundle.js';
export type { BuildResult } from './bundle.js';
