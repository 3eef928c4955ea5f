export { JobsApp } from './jobs.app.js';
export type { JobsAppOptions } from './jobs.app.js';
export { JOBS_POLICY } from './jobs.policy.js';
