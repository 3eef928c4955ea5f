/** How much is logged: `debug` shows everything, `error` only failures. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** `text`: `component: message` lines for people; `json`: one object per line for collectors. */
export type LogFormat = 'text' | 'json';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Quiet by default: what an operator acts on (starts, stops, rounds, outages, failures). */
export const LOG_DEFAULTS = Object.freeze({
  level: 'info',
  format: 'text',
});

/** LOG_LEVEL and LOG_FORMAT, or the defaults; a wrong value is refused naming the variable. */
export function logConfigFrom(env: Record<string, string | undefined> = process.env): {
  level: LogLevel;
  format: LogFormat;
} {
  const level = env.LOG_LEVEL?.trim() || LOG_DEFAULTS.level;
  const format = env.LOG_FORMAT?.trim() || LOG_DEFAULTS.format;
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  }
  if (format !== 'text' && format !== 'json') {
    throw new Error(`LOG_FORMAT: must be text or json, got "${format}"`);
  }
  return { level: level as LogLevel, format };
}
