import { randomUUID } from 'node:crypto';
import { describeInternalError } from './describe-error.js';
import { LOG_LEVELS, logConfigFrom, type LogFormat, type LogLevel } from './log-config.js';
import { OutageLog } from './outage-log.js';
import { isUnreachableDependency } from './unreachable-dependency.js';

export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /**
   * An info line written whatever the level: what a supervisor waits for (`… listening on …`)
   * and what an operator must see once.
   */
  announce(message: string, fields?: LogFields): void;
  /**
   * Something went wrong doing `what`. An unreachable database is one warning per outage (and a
   * summary once it is over), not a line per failure; anything else is logged under a new error
   * id (class, code, message, stack frames; never the error object, see describeInternalError),
   * and the id is returned so an answer can name it.
   */
  failure(what: string, err: unknown): string;
  /**
   * `dependency` failed again (a peer restarting, unreachable): the first line of an outage is
   * written as a warning, the rest counted, and a summary written once it has been quiet for 5 s.
   */
  outage(dependency: string, line: string): void;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go. @default stdout for debug and info, stderr for warn and error */
  write?: (level: LogLevel, line: string) => void;
}

const defaultWrite = (level: LogLevel, line: string) =>
  (level === 'debug' || level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);

/**
 * The one logger: `component: message` lines (or JSON objects with LOG_FORMAT=json), at or above
 * LOG_LEVEL (default info). Every app and lib logs through one of these.
 */
export function createLogger(component: string, options: LoggerOptions = {}): Logger {
  const config = logConfigFrom();
  const level = options.level ?? config.level;
  const format = options.format ?? config.format;
  const write = options.write ?? defaultWrite;
  const threshold = LOG_LEVELS.indexOf(level);
  const emit = (at: LogLevel, message: string, fields: LogFields = {}, always = false) => {
    if (!always && LOG_LEVELS.indexOf(at) < threshold) return;
    if (format === 'json') {
      const record = {
        time: new Date().toISOString(),
        level: at,
        component,
        msg: message,
        ...fields,
      };
      write(at, JSON.stringify(record));
      return;
    }
    const extra = Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => ` ${k}=${String(v)}`)
      .join('');
    write(at, `${component}: ${message}${extra}`);
  };
  const outages = new Map<string, OutageLog>();
  const outage = (dependency: string, line: string) => {
    let log = outages.get(dependency);
    if (log === undefined) {
      log = new OutageLog(dependency, (l) => emit('warn', l));
      outages.set(dependency, log);
    }
    log.failed(line);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    announce: (m, f) => emit('info', m, f, true),
    failure(what, err) {
      const errorId = randomUUID();
      if (isUnreachableDependency(err)) {
        const reason = err instanceof Error ? err.message : String(err);
        outage('database', `${what}: the database is unreachable (${reason})`);
      } else {
        emit('error', `${what}: ${describeInternalError(errorId, err)}`);
      }
      return errorId;
    },
    outage,
  };
}
