import { describe, expect, it } from 'vitest';
import { logConfigFrom } from './log-config.js';
import { createLogger, type LoggerOptions } from './logger.js';

function capture(options: LoggerOptions = {}) {
  const lines: [string, string][] = [];
  const log = createLogger('scoring', {
    ...options,
    write: (level, line) => lines.push([level, line]),
  });
  return { log, lines };
}

describe('createLogger', () => {
  it('writes `component: message` lines with fields, at or above its level', () => {
    const { log, lines } = capture({ level: 'info', format: 'text' });
    log.debug('hidden');
    log.info('round 7 done', { checks: 12, down: 1 });
    log.warn('slow');
    expect(lines).toEqual([
      ['info', 'scoring: round 7 done checks=12 down=1'],
      ['warn', 'scoring: slow'],
    ]);
    const quiet = capture({ level: 'error', format: 'text' });
    quiet.log.info('hidden');
    quiet.log.announce('gRPC listening on 127.0.0.1:50051');
    expect(quiet.lines).toEqual([['info', 'scoring: gRPC listening on 127.0.0.1:50051']]);
  });

  it('writes one JSON object per line with LOG_FORMAT=json', () => {
    const { log, lines } = capture({ level: 'debug', format: 'json' });
    log.debug('x', { n: 1 });
    const record = JSON.parse(lines[0]![1]) as Record<string, unknown>;
    expect(record).toMatchObject({ level: 'debug', component: 'scoring', msg: 'x', n: 1 });
    expect(typeof record.time).toBe('string');
  });

  it('logs an unexpected failure under an error id, never the error object', () => {
    const { log, lines } = capture({ level: 'info', format: 'text' });
    const err = Object.assign(new Error('insert failed'), {
      code: '23502',
      detail: 'Failing row contains (hunter2)',
    });
    const id = log.failure('saving', err);
    expect(lines[0]![1].split('\n')[0]).toBe(
      `scoring: saving: internal error ${id}: Error [code 23502]: insert failed`,
    );
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it('reports an unreachable database once per outage, not once per failure', () => {
    const { log, lines } = capture({ level: 'info', format: 'text' });
    for (let i = 0; i < 50; i++) {
      log.failure(
        'notify',
        Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      );
    }
    expect(lines).toEqual([
      [
        'warn',
        'scoring: notify: the database is unreachable (connect ECONNREFUSED); further failures are counted, not logged',
      ],
    ]);
  });
});

describe('logConfigFrom', () => {
  it('defaults to info and text, and names the variable of a wrong value', () => {
    expect(logConfigFrom({})).toEqual({ level: 'info', format: 'text' });
    expect(logConfigFrom({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json' })).toEqual({
      level: 'debug',
      format: 'json',
    });
    expect(() => logConfigFrom({ LOG_LEVEL: 'loud' })).toThrow(
      'LOG_LEVEL: must be one of debug, info, warn, error, got "loud"',
    );
    expect(() => logConfigFrom({ LOG_FORMAT: 'xml' })).toThrow(
      'LOG_FORMAT: must be text or json, got "xml"',
    );
  });
});
