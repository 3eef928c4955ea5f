export { describeInternalError } from './describe-error.js';
export { LOG_DEFAULTS, LOG_LEVELS, logConfigFrom } from './log-config.js';
export type { LogFormat, LogLevel } from './log-config.js';
export { createLogger } from './logger.js';
export type { LogFields, Logger, LoggerOptions } from './logger.js';
export { OutageLog } from './outage-log.js';
export { isUnreachableDependency } from './unreachable-dependency.js';
