/**
 * Why a call to LimaCharlie's REST API failed, one class per thing a caller does differently.
 * Every message names the call, the org, the sensor or rule, the HTTP status and LimaCharlie's own
 * words (one line, at most `maxErrorTextChars`, tokens removed); none ever holds the JWT.
 */

export type LcApiCall = 'taskSensor' | 'putRule' | 'deleteRule';

export interface LcApiFailureInfo {
  call: LcApiCall;
  /** The org the call was for (as given). */
  oid: string;
  /** What the call did, in words: `task sensor <sid>`, `put rule <namespace>/<name>`. */
  action: string;
  /** LimaCharlie's HTTP status, when it answered. */
  status: number | undefined;
  /** LimaCharlie's error text, bounded and with tokens removed. */
  lcError: string | undefined;
  /** Requests sent (0 when the input was refused before sending). */
  attempts: number;
  /**
   * True when LimaCharlie may have done what was asked even though the call failed (an answer lost
   * on the way back, a 5xx, a deadline while waiting): do not blindly repeat a task.
   */
  maybeApplied: boolean;
}

export abstract class LcApiError extends Error implements LcApiFailureInfo {
  readonly call: LcApiCall;
  readonly oid: string;
  readonly action: string;
  readonly status: number | undefined;
  readonly lcError: string | undefined;
  readonly attempts: number;
  readonly maybeApplied: boolean;

  protected constructor(info: LcApiFailureInfo, what: string, advice: string, cause?: unknown) {
    super(composeMessage(info, what, advice), cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.call = info.call;
    this.oid = info.oid;
    this.action = info.action;
    this.status = info.status;
    this.lcError = info.lcError;
    this.attempts = info.attempts;
    this.maybeApplied = info.maybeApplied;
  }
}

/** The call's input was wrong; nothing was sent. */
export class LcApiInvalidInputError extends LcApiError {
  constructor(
    info: LcApiFailureInfo,
    readonly field: string,
    problem: string,
  ) {
    super(info, `not sent: ${field} ${problem}`, '');
  }
}

/** 401: LimaCharlie did not accept the JWT (expired, malformed, or not its own). */
export class LcApiUnauthenticatedError extends LcApiError {
  constructor(info: LcApiFailureInfo) {
    super(
      info,
      'LimaCharlie refused the JWT (HTTP 401)',
      'The JWT is not refreshed here: LimaCharlie sends a fresh one with every callback and each ' +
        'lasts about an hour, so call with the JWT of the callback being answered.',
    );
  }
}

/** 403: the JWT is valid but lacks a permission, or is not for this org. */
export class LcApiPermissionDeniedError extends LcApiError {
  constructor(
    info: LcApiFailureInfo,
    /** The permission this call needs (`sensor.task`, `dr.set.replicant`, …). */
    readonly permission: string,
  ) {
    super(
      info,
      'LimaCharlie refused the call (HTTP 403)',
      `The call needs the permission ${permission} for this org: the service must request it ` +
        '(an InteractiveService needs sensor.task and dr.list/set/del for its namespace).',
    );
  }
}

/** 404: no such sensor in the org, or no such rule in that namespace. */
export class LcApiNotFoundError extends LcApiError {
  constructor(info: LcApiFailureInfo, missing: string) {
    super(info, `LimaCharlie found no ${missing} (HTTP 404)`, '');
  }
}

/** Another 4xx (or an unexpected 3xx): LimaCharlie refused the request as sent. */
export class LcApiRefusedError extends LcApiError {
  constructor(info: LcApiFailureInfo) {
    super(
      info,
      `LimaCharlie refused the request (HTTP ${info.status ?? '?'})`,
      'Sending it again unchanged will not help.',
    );
  }
}

/** 429: too many calls; LimaCharlie asked to wait (`retryAfterMs`, when it said how long). */
export class LcApiRateLimitedError extends LcApiError {
  constructor(
    info: LcApiFailureInfo,
    readonly retryAfterMs: number | undefined,
    /** What was left of the call's deadline when LimaCharlie answered. */
    remainingMs: number,
  ) {
    super(
      info,
      'LimaCharlie rate-limited the org (HTTP 429)',
      retryAfterMs !== undefined && retryAfterMs >= remainingMs
        ? `It asked to wait ${Math.ceil(retryAfterMs / 1000)} s, more than the call had left ` +
            `before its deadline (${Math.max(0, Math.floor(remainingMs))} ms).`
        : 'Try again later.',
    );
  }
}

/** 5xx, or LimaCharlie could not be reached or the connection was lost. */
export class LcApiUnavailableError extends LcApiError {
  constructor(
    info: LcApiFailureInfo,
    /** The network error code (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET…), when there was no answer. */
    readonly networkCode: string | undefined,
    where: string,
    cause?: unknown,
  ) {
    super(
      info,
      info.status !== undefined
        ? `LimaCharlie failed (HTTP ${info.status})`
        : `no answer from LimaCharlie at ${where} (${networkCode ?? 'network error'})`,
      'Try again later.',
      cause,
    );
  }
}

/** The call's deadline passed before LimaCharlie answered (or while waiting to retry). */
export class LcApiDeadlineExceededError extends LcApiError {
  constructor(info: LcApiFailureInfo, deadlineMs: number) {
    super(info, `no answer within the call's deadline of ${deadlineMs} ms`, '');
  }
}

/** The caller's AbortSignal stopped the call. */
export class LcApiAbortedError extends LcApiError {
  constructor(info: LcApiFailureInfo) {
    super(info, 'aborted by the caller', '');
  }
}

/** LimaCharlie said yes (2xx) but the answer was not its JSON: too large, or not JSON at all. */
export class LcApiBadResponseError extends LcApiError {
  constructor(info: LcApiFailureInfo, problem: string) {
    super(
      info,
      `the answer (HTTP ${info.status ?? '?'}) ${problem}`,
      "Check the base URL points at LimaCharlie's API and not at a proxy or web page.",
    );
  }
}

export function isLcApiError(err: unknown): err is LcApiError {
  return err instanceof LcApiError;
}

function composeMessage(info: LcApiFailureInfo, what: string, advice: string): string {
  const said = info.lcError !== undefined ? `: LimaCharlie said "${info.lcError}"` : '';
  const tries = info.attempts > 1 ? ` (${info.attempts} attempts)` : '';
  const maybe = !info.maybeApplied
    ? ''
    : info.call === 'taskSensor'
      ? ' The sensor may have been tasked all the same: the task was not sent again, so that ' +
        'the sensor is not tasked twice.'
      : ' The change may have been made all the same.';
  const tail = advice === '' ? '' : ` ${advice}`;
  return `LimaCharlie API: ${info.action} in org ${info.oid} failed: ${what}${said}${tries}.${tail}${maybe}`;
}
