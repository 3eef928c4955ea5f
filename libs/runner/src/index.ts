export { CheckRunner } from './check-runner.js';
export type { RunnerClients, RunnerOptions } from './check-runner.js';
