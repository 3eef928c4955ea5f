import type { AttemptOutcome } from './lc-api.attempt.js';
import {
  LcApiBadResponseError,
  LcApiNotFoundError,
  LcApiPermissionDeniedError,
  LcApiRateLimitedError,
  LcApiRefusedError,
  LcApiUnauthenticatedError,
  LcApiUnavailableError,
  type LcApiError,
  type LcApiFailureInfo,
} from './lc-api.errors.js';

/** What the error of a call needs to know besides the outcome. */
export interface ErrorContext {
  /** The permission the call needs, for a 403. */
  permission: string;
  /** What a 404 means for this call ("sensor <sid>", "rule <ns>/<name>"). */
  missing: string;
  /** Where LimaCharlie was looked for (the base URL's origin), for a network failure. */
  origin: string;
  /** What is left of the call's deadline. */
  remainingMs: number;
}

/** The error for a failed outcome (not 'ok' or 'aborted', which the call loop handles). */
export function errorFor(
  outcome: Exclude<AttemptOutcome, { kind: 'ok' } | { kind: 'aborted' }>,
  info: LcApiFailureInfo,
  ctx: ErrorContext,
): LcApiError {
  switch (outcome.kind) {
    case 'bad-response':
      return new LcApiBadResponseError(info, outcome.problem);
    case 'network':
      return new LcApiUnavailableError(info, outcome.code, ctx.origin, outcome.cause);
    case 'http-error':
      switch (outcome.status) {
        case 401:
          return new LcApiUnauthenticatedError(info);
        case 403:
          return new LcApiPermissionDeniedError(info, ctx.permission);
        case 404:
          return new LcApiNotFoundError(info, ctx.missing);
        case 429:
          return new LcApiRateLimitedError(info, outcome.retryAfterMs, ctx.remainingMs);
        default:
          return outcome.status >= 500
            ? new LcApiUnavailableError(info, undefined, ctx.origin)
            : new LcApiRefusedError(info);
      }
  }
}
