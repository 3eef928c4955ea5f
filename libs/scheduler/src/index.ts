export { ManualClock, slotStart, systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { PERIODS, periodicEtype } from './periods.js';
export { SchedulerApp } from './scheduler.app.js';
export type { SchedulerAppOptions } from './scheduler.app.js';
