import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from './lc-api.attempt.js';
import { retryDelayMs, shouldRetry } from './retry-policy.js';

const http = (status: number, retryAfterMs?: number): AttemptOutcome => ({
  kind: 'http-error',
  status,
  lcError: undefined,
  retryAfterMs,
});
const net = (sent: boolean): AttemptOutcome => ({
  kind: 'network',
  sent,
  code: undefined,
  cause: undefined,
});

describe('shouldRetry', () => {
  it('repeats a call that may have arrived only when it is idempotent', () => {
    for (const outcome of [http(500), http(502), http(503), http(504), net(true)]) {
      expect(shouldRetry(outcome, true)).toBe(true);
      expect(shouldRetry(outcome, false)).toBe(false);
    }
  });

  it('repeats any call LimaCharlie certainly did not act on: 429, or no connection', () => {
    for (const outcome of [http(429), net(false)]) {
      expect(shouldRetry(outcome, false)).toBe(true);
      expect(shouldRetry(outcome, true)).toBe(true);
    }
  });

  it('never repeats a refusal, an answer, or an abort', () => {
    const never: AttemptOutcome[] = [
      http(400),
      http(401),
      http(403),
      http(404),
      http(409),
      http(501),
      { kind: 'bad-response', status: 200, problem: 'x' },
      { kind: 'aborted' },
    ];
    for (const outcome of never) expect(shouldRetry(outcome, true)).toBe(false);
  });
});

describe('retryDelayMs', () => {
  const backoff = { baseMs: 250, maxMs: 5000 };
  it("uses LimaCharlie's Retry-After when it gave one", () => {
    expect(retryDelayMs(http(429, 7000), 1, backoff, () => 0.5)).toBe(7000);
  });

  it('otherwise full jitter up to base·2^(n-1), capped', () => {
    expect(retryDelayMs(http(503), 1, backoff, () => 0.999)).toBe(249);
    expect(retryDelayMs(http(503), 3, backoff, () => 0.5)).toBe(500);
    expect(retryDelayMs(net(false), 10, backoff, () => 0.999)).toBe(4995);
    expect(retryDelayMs(net(false), 10, backoff, () => 0)).toBe(0);
  });
});
