import { describe, expect, it } from 'vitest';
import { describeRound, summarize } from './round-summary.js';

const ROUND = new Date('2026-12-01T16:40:00.000Z');
const at = (ms: number) => new Date(ROUND.getTime() + ms);

describe('a round summary', () => {
  it('counts up, down (connection) and errors by kind, and says it in one sentence', () => {
    const s = summarize(ROUND, [
      { verdict: 'up', n: 72, last: at(3_900) },
      { verdict: 'connection', n: 6, last: at(4_200) },
      { verdict: 'content', n: 1, last: at(1_000) },
      { verdict: 'timeout', n: 1, last: at(4_100) },
    ]);
    expect(describeRound(s)).toEqual({
      message:
        'round 2026-12-01T16:40:00Z: 80 checks, 72 up, 6 down, 2 errors (1 timeout, 1 content) in 4.2 s',
      fields: {
        round: '2026-12-01T16:40:00Z',
        checks: 80,
        up: 72,
        down: 6,
        errors: 2,
        timeout: 1,
        content: 1,
        credentials: 0,
        other: 0,
        no_runner: 0,
        skipped: 0,
        unreported: 0,
        durationMs: 4_200,
      },
    });
  });

  it('names skipped checks, give-ups (other) and checks completed without a verdict', () => {
    const s = summarize(ROUND, [
      { verdict: 'up', n: 1, last: at(500) },
      { verdict: 'other', n: 1, last: at(61_250) },
      { verdict: 'skipped', n: 2, last: at(300) },
      { verdict: null, n: 3, last: at(900) },
    ]);
    expect(describeRound(s).message).toBe(
      'round 2026-12-01T16:40:00Z: 7 checks, 1 up, 0 down, 1 error (1 other), 2 skipped, 3 not reported in 61.3 s',
    );
  });

  it('names checks nobody ran because no runner serves their pool', () => {
    const s = summarize(ROUND, [
      { verdict: 'up', n: 3, last: at(500) },
      { verdict: 'no_runner', n: 2, last: at(30_000) },
    ]);
    const { message, fields } = describeRound(s);
    expect(message).toBe(
      'round 2026-12-01T16:40:00Z: 5 checks, 3 up, 0 down, 2 errors (2 no runner) in 30.0 s',
    );
    expect(fields).toMatchObject({ errors: 2, no_runner: 2, other: 0 });
  });

  it('keeps the milliseconds of a round that has them', () => {
    const s = summarize(at(250), [{ verdict: 'up', n: 1, last: at(250) }]);
    expect(describeRound(s).message).toBe(
      'round 2026-12-01T16:40:00.250Z: 1 check, 1 up, 0 down, 0 errors in 0.0 s',
    );
  });
});
