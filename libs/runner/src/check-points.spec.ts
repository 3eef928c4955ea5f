import { describe, expect, it } from 'vitest';
import { checkPoints } from './check-points.js';

describe('checkPoints', () => {
  const up = { up: true as const, message: 'answered' };
  const partial = { ...up, share: { held: 2, of: 3 } };

  it('scores an up service all of its cap, 1 without one, and a down one nothing', () => {
    expect(checkPoints(up, 10)).toEqual({ result: up, points: 10 });
    expect(checkPoints(up, undefined)).toEqual({ result: up, points: 1 });
    const down = { up: false as const, kind: 'timeout' as const, message: 'timed out' };
    expect(checkPoints(down, 10)).toEqual({ result: down, points: 0 });
  });

  it('scores a partial result its share of the cap, at least 1', () => {
    expect(checkPoints(partial, 10)).toEqual({ result: partial, points: 6 });
    expect(checkPoints({ ...up, share: { held: 1, of: 32 } }, 10).points).toBe(1);
  });

  it('fails a partial result as content when the service has no cap to share', () => {
    expect(checkPoints(partial, undefined)).toEqual({
      result: {
        up: false,
        kind: 'content',
        message: "answered (a partial result needs the service's score_cap)",
      },
      points: 0,
    });
  });
});
