import { attempt, mayHaveApplied, type HttpRequest } from './lc-api.attempt.js';
import {
  LcApiAbortedError,
  LcApiDeadlineExceededError,
  type LcApiCall,
  type LcApiFailureInfo,
} from './lc-api.errors.js';
import type { ResolvedLcApiOptions } from './lc-api.options.js';
import { errorFor } from './outcome-error.js';
import { retryDelayMs, shouldRetry } from './retry-policy.js';

/** One call as the client builds it. */
export interface CallSpec {
  call: LcApiCall;
  oid: string;
  action: string;
  /** The permission the call needs, named in a 403's message. */
  permission: string;
  /** What a 404 means, named in its message. */
  missing: string;
  request: HttpRequest;
  /** Whether sending it twice does no more than sending it once (see retry-policy.ts). */
  idempotent: boolean;
}

/** What every call takes besides its own fields. */
export interface CallOptions {
  /** Stops the call (every attempt and wait) when it aborts, e.g. the callback's own signal. */
  signal?: AbortSignal;
  /** This call's deadline, all attempts included. @default the client's `timeoutMs` */
  timeoutMs?: number;
}

export interface LcApiResult {
  /** LimaCharlie's JSON answer (`{}` for these endpoints). */
  body: unknown;
  /** Requests it took (more than 1 after retries). */
  attempts: number;
}

/**
 * Sends a call, retrying what retry-policy.ts allows with backoff (or LimaCharlie's Retry-After)
 * until it succeeds, attempts run out, or the deadline would pass; throws an LcApiError.
 */
export async function callLimaCharlie(
  spec: CallSpec,
  jwt: string,
  options: ResolvedLcApiOptions,
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
): Promise<LcApiResult> {
  const started = performance.now();
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = callerSignal === undefined ? deadline : AbortSignal.any([deadline, callerSignal]);
  const origin = new URL(options.baseUrl).origin;
  let maybeApplied = false;
  let lastStatus: number | undefined;
  const info = (attempts: number): LcApiFailureInfo => ({
    call: spec.call,
    oid: spec.oid,
    action: spec.action,
    status: lastStatus,
    lcError: undefined,
    attempts,
    maybeApplied,
  });
  const stopped = (attempts: number) =>
    deadline.aborted
      ? new LcApiDeadlineExceededError(info(attempts), timeoutMs)
      : new LcApiAbortedError(info(attempts));

  for (let n = 1; ; n++) {
    if (signal.aborted) throw stopped(n - 1);
    const outcome = await attempt(spec.request, jwt, signal, options);
    if (outcome.kind === 'ok') return { body: outcome.body, attempts: n };
    maybeApplied ||= mayHaveApplied(outcome);
    if (outcome.kind === 'aborted') throw stopped(n);
    if (outcome.kind === 'http-error' || outcome.kind === 'bad-response')
      lastStatus = outcome.status;

    const remainingMs = timeoutMs - (performance.now() - started);
    const delayMs = retryDelayMs(outcome, n, {
      baseMs: options.backoffBaseMs,
      maxMs: options.backoffMaxMs,
    });
    const retry =
      n < options.maxAttempts && shouldRetry(outcome, spec.idempotent) && delayMs < remainingMs;
    if (!retry) {
      const failure = {
        ...info(n),
        lcError: outcome.kind === 'http-error' ? outcome.lcError : undefined,
      };
      throw errorFor(outcome, failure, {
        permission: spec.permission,
        missing: spec.missing,
        origin,
        remainingMs,
      });
    }
    try {
      await options.sleep(delayMs, signal);
    } catch {
      throw stopped(n);
    }
  }
}
