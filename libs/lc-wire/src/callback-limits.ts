/**
 * What a sender may make an endpoint receiving LimaCharlie callbacks hold or compute before its
 * signature is known to be good. The defaults are the one source: the gateway applies them and
 * apps/lc-gateway's config reads them (this lib loads nothing else, so the app can read them
 * before it starts telemetry).
 */
export interface CallbackLimits {
  /** Largest body; larger ones get 413 (lcservice's CherryPy caps bodies at 50 MB). */
  maxBodyBytes: number;
  /**
   * Body bytes held at once across all requests (received and not yet answered). The request
   * whose next bytes would pass it gets 503 with `Retry-After`.
   */
  maxBodyBytesInFlight: number;
  /**
   * Largest body whose canonical rendering (what lcservice 1.8.0 signed) is tried when its raw
   * bytes do not verify (parsing and rendering 16 KiB took 0.6–3 ms on the 2-core development
   * machine, the most for thousands of tiny keys or escaped characters). A larger body verifies
   * on its raw bytes only: the HMAC, hashed as the bytes arrive, is all it costs.
   */
  canonicalMaxBodyBytes: number;
  /**
   * Largest extension message (`/ext/<name>`), as it comes and once inflated from gzip; larger
   * ones get 413. An extension message is a small JSON envelope, and a gzip body must be inflated
   * before its signature can be checked: this cap, not maxBodyBytes, bounds what an unsigned one
   * costs.
   */
  maxExtensionBodyBytes: number;
  /**
   * Extension body bytes held at once (as they came and inflated), a budget of their own: unsigned
   * extension traffic never takes from maxBodyBytesInFlight, so it cannot make lcservice callbacks
   * wait (503). At least twice maxExtensionBodyBytes (a gzip body is held compressed and inflated).
   */
  maxExtensionBytesInFlight: number;
  /**
   * The most an extension's gzip body may inflate per compressed byte (plus 1 MiB); more is 413.
   * JSON compresses 5–20 times, very repetitive JSON (thousands of like rows) about 200 times; a
   * gzip bomb (deflate's ceiling) about 1030 times. The body cap and the budget bound the rest.
   */
  maxGzipRatio: number;
  /** Time to receive a request's headers (a new connection's included); then 408, closed. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, headers and body; then 408, closed. */
  requestTimeoutMs: number;
  /**
   * Slowest body accepted: from `bodyGraceMs` after the headers, a body must keep up with this
   * average rate, or the request gets 408 and its connection is closed.
   */
  minBodyBytesPerSecond: number;
  bodyGraceMs: number;
  /** Largest request head (Node's `maxHeaderSize`); a larger one gets 431. */
  maxHeaderBytes: number;
  /** Open connections; further ones are closed as they arrive. */
  maxConnections: number;
  /** An idle keep-alive connection is closed after this (longer than load balancers' 60 s). */
  keepAliveTimeoutMs: number;
}

export const CALLBACK_LIMITS: Readonly<CallbackLimits> = Object.freeze({
  maxBodyBytes: 50 * 1024 * 1024,
  maxBodyBytesInFlight: 100 * 1024 * 1024,
  canonicalMaxBodyBytes: 16 * 1024,
  maxExtensionBodyBytes: 8 * 1024 * 1024,
  maxExtensionBytesInFlight: 32 * 1024 * 1024,
  maxGzipRatio: 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  minBodyBytesPerSecond: 16 * 1024,
  bodyGraceMs: 5_000,
  maxHeaderBytes: 16 * 1024,
  maxConnections: 1024,
  keepAliveTimeoutMs: 65_000,
});

/** `given` over the defaults (undefined keeps a default); throws on limits that contradict. */
export function callbackLimits(given: Partial<CallbackLimits>): CallbackLimits {
  const limits = { ...CALLBACK_LIMITS };
  for (const key of Object.keys(CALLBACK_LIMITS) as (keyof CallbackLimits)[]) {
    const value = given[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`${key} must be a positive integer, got ${value}`);
    }
    limits[key] = value;
  }
  if (limits.maxBodyBytesInFlight < limits.maxBodyBytes) {
    throw new RangeError('maxBodyBytesInFlight must be at least maxBodyBytes');
  }
  if (limits.maxExtensionBytesInFlight < 2 * limits.maxExtensionBodyBytes) {
    throw new RangeError('maxExtensionBytesInFlight must be at least twice maxExtensionBodyBytes');
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new RangeError('headersTimeoutMs must be at most requestTimeoutMs');
  }
  return limits;
}
