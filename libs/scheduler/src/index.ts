export { ManualClock, slotStart, systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { PERIODS, periodicEtype } from './periods.js';
export { SchedulerApp } from './scheduler.app.js';
export type { SchedulerAppOptions } from './scheduler.app.js';
export { CHECK_QUEUE_POLICY } from './check-queue.policy.js';
export { REGISTRY_POLICY } from './registry.policy.js';
