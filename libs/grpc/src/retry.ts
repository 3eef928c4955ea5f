import { status } from '@grpc/grpc-js';
import { isGrpcError } from './grpc-error.js';

/**
 * Only these codes are retried, and only for calls the caller marks as idempotent:
 * UNAVAILABLE (the server could not be reached, or is draining) and RESOURCE_EXHAUSTED (it is
 * overloaded). Anything else is an answer, not a transport failure.
 */
export const RETRYABLE_CODES: readonly status[] = [status.UNAVAILABLE, status.RESOURCE_EXHAUSTED];

export interface RetryPolicy {
  /** Attempts in all, the first included. @default 4 */
  maxAttempts: number;
  /** Upper bound of the first back-off. @default 50 */
  initialBackoffMs: number;
  /** Back-off never exceeds this. @default 2000 */
  maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 4,
  initialBackoffMs: 50,
  maxBackoffMs: 2000,
});

/**
 * Runs `attempt` until it succeeds, fails with a code that is not retryable, runs out of
 * attempts, or the next back-off would pass `deadline`. Back-off is exponential with full
 * jitter, so many clients that failed together do not come back together.
 */
export async function withRetry<T>(
  attempt: (deadline: number) => Promise<T>,
  deadline: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(deadline);
    } catch (err) {
      const retryable = isGrpcError(err) && RETRYABLE_CODES.includes(err.code);
      const cap = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (n - 1));
      const backoff = Math.random() * cap;
      if (!retryable || n >= policy.maxAttempts || Date.now() + backoff >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }
}
