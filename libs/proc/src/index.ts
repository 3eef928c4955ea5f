export { startApp, stopApp } from './child-app.js';
export type { AppSpec, RunningApp } from './child-app.js';
export { stopOnSignals } from './stop-on-signals.js';
