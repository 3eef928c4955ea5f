import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.js';

const NOW = Date.parse('Sun, 06 Nov 1994 08:49:37 GMT');

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
  });

  it('reads an HTTP-date relative to now, and a past date as now', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:47 GMT', NOW)).toBe(10_000);
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:40 GMT', NOW)).toBe(3000);
    expect(parseRetryAfter('Sun Nov  6 08:49:38 1994', NOW)).toBe(1000);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:00:00 GMT', NOW)).toBe(0);
  });

  it('ignores what it cannot read, so the caller uses its own backoff', () => {
    for (const bad of [
      null,
      '',
      '-1',
      '1.5',
      'soon',
      'Sun, 99',
      '2025-01-01',
      'Sun, 06 Nov 1994 08:49:47',
      '9'.repeat(30),
    ]) {
      expect(parseRetryAfter(bad, NOW)).toBeUndefined();
    }
  });
});
