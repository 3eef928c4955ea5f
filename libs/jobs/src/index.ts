export { JobsApp } from './jobs.app.js';
export type { JobsAppOptions } from './jobs.app.js';
