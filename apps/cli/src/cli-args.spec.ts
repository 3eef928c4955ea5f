import { describe, expect, it } from 'vitest';
import { isoTime, positiveCount } from './cli-args.js';
import { UsageError } from './cli-errors.js';

const FORMAT =
  'must be an ISO 8601 date or time with its zone (2026-12-01, 2026-12-01T10:00:00Z, 2026-12-01T12:00+02:00)';

describe('isoTime', () => {
  it.each([
    ['2026-12-01', '2026-12-01T00:00:00.000Z'],
    ['2026-12-01T10:00Z', '2026-12-01T10:00:00.000Z'],
    ['2026-12-01T10:00:30Z', '2026-12-01T10:00:30.000Z'],
    ['2026-12-01T10:00:30.250Z', '2026-12-01T10:00:30.250Z'],
    ['2026-12-01T12:00+02:00', '2026-12-01T10:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('takes %s as %s', (text, iso) => {
    expect(isoTime('--since', text).toISOString()).toBe(iso);
  });

  it.each([
    'yesterday',
    '',
    '2026-12-01T10:00:00', // whose 10:00?
    '2026-02-30', // Date would say March 2
    '2025-02-29',
    '2026-13-01',
    '2026-12-01T24:00Z',
    '2026-12-01T10:60Z',
    '2026-12-01T10:00+25:00',
    '12/01/2026',
    ' 2026-12-01',
  ])('refuses %j, naming the flag and the format', (text) => {
    expect(() => isoTime('--until', text)).toThrow(
      new UsageError(`--until ${FORMAT}, got ${JSON.stringify(text)}`),
    );
  });
});

describe('positiveCount', () => {
  it('takes a positive whole number', () => {
    expect(positiveCount('--limit', '25')).toBe(25);
  });

  it.each(['0', '-3', '2.5', 'ten', '', ' '])('refuses %j', (text) => {
    expect(() => positiveCount('--limit', text)).toThrow(
      new UsageError(`--limit must be a positive whole number, got ${JSON.stringify(text)}`),
    );
  });
});
