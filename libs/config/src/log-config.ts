import { LOG_DEFAULTS, LOG_LEVELS, type LogFormat, type LogLevel } from '@checkwire/log';
import { envOneOf, type Env } from './env.js';

const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

/**
 * LOG_LEVEL and LOG_FORMAT, checked as ConfigErrors before any logger exists (libs/log would
 * refuse them with a bare Error, from whichever module creates a logger first).
 */
export function checkLogConfig(env: Env): void {
  envOneOf<LogLevel>(env, 'LOG_LEVEL', LOG_LEVELS, LOG_DEFAULTS.level);
  envOneOf<LogFormat>(env, 'LOG_FORMAT', LOG_FORMATS, LOG_DEFAULTS.format);
}
