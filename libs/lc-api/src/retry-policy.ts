import type { AttemptOutcome } from './lc-api.attempt.js';

/**
 * When a failed attempt is tried again. A request that may have reached LimaCharlie is repeated
 * only when repeating it changes nothing (`idempotent`): tasking a sensor is not, so a task is
 * sent again only when it certainly was not acted on, i.e. the connection was never made, or
 * LimaCharlie answered 429 (it refused the request without acting).
 */
const RETRIED_5XX: ReadonlySet<number> = new Set([500, 502, 503, 504]);

export function shouldRetry(outcome: AttemptOutcome, idempotent: boolean): boolean {
  switch (outcome.kind) {
    case 'network':
      return !outcome.sent || idempotent;
    case 'http-error':
      return outcome.status === 429 || (idempotent && RETRIED_5XX.has(outcome.status));
    default:
      return false;
  }
}

/**
 * How long to wait after failed attempt `n` (1-based): what LimaCharlie asked for in Retry-After,
 * else "full jitter" exponential backoff, random in [0, min(max, base·2^(n-1))].
 */
export function retryDelayMs(
  outcome: AttemptOutcome,
  n: number,
  backoff: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  if (outcome.kind === 'http-error' && outcome.retryAfterMs !== undefined)
    return outcome.retryAfterMs;
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (n - 1));
  return Math.floor(random() * ceiling);
}
