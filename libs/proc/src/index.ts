export { startApp, stopApp } from './child-app.js';
export type { AppSpec, RunningApp } from './child-app.js';
export { stopOnSignals } from './stop-on-signals.js';
export { SupervisedApp } from './supervisor.js';
export type { SupervisorOptions } from './supervisor.js';
