import { setTimeout as sleepFor } from 'node:timers/promises';

/** The client's defaults, in one place (the README's table is checked against them). */
export const LC_API_DEFAULTS = Object.freeze({
  /** LimaCharlie's REST API (`ROOT_URL` in python-limacharlie, `rootURL` in go-limacharlie). */
  baseUrl: 'https://api.limacharlie.io',
  /** The version path both SDKs put before every endpoint. */
  apiVersion: 'v1',
  /** go-limacharlie's per-request timeout; LimaCharlie gives a callback about 590 s. */
  timeoutMs: 30_000,
  /** Both SDKs try a call at most three times. */
  maxAttempts: 3,
  backoffBaseMs: 250,
  backoffMaxMs: 5_000,
  /** The endpoints answer `{}`: anything near this is not LimaCharlie's answer. */
  maxResponseBytes: 1024 * 1024,
  /** How much of an error answer is read (the rest is dropped unread). */
  maxErrorBodyBytes: 64 * 1024,
  /** How much of LimaCharlie's error text an error message quotes. */
  maxErrorTextChars: 300,
  userAgent: 'checkwire-lc-api',
});

export interface LcApiClientOptions {
  /** Scheme, host and optional path prefix; the version path is added. @default LC_API_DEFAULTS.baseUrl */
  baseUrl?: string;
  /** @default 'v1' */
  apiVersion?: string;
  /** Deadline of one call: every attempt and every wait between them. @default 30 000 */
  timeoutMs?: number;
  /** Attempts per call, the first included (1: never retry). @default 3 */
  maxAttempts?: number;
  /** Backoff before attempt n+1 is random in [0, min(max, base·2^(n-1))] ms. @default 250 */
  backoffBaseMs?: number;
  /** @default 5 000 */
  backoffMaxMs?: number;
  /** A successful answer larger than this is an error. @default 1 MiB */
  maxResponseBytes?: number;
  /** @default 64 KiB */
  maxErrorBodyBytes?: number;
  /** @default 300 */
  maxErrorTextChars?: number;
  /** @default 'checkwire-lc-api' */
  userAgent?: string;
  /**
   * How to wait between attempts; it must reject when `signal` aborts. Tests pass one that records
   * the delay and returns at once, to check Retry-After without waiting for it.
   * @default an abortable setTimeout
   */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export type ResolvedLcApiOptions = Readonly<Required<LcApiClientOptions>>;

/** Applies the defaults and checks every option, naming the one at fault. */
export function addDefaults(options: LcApiClientOptions): ResolvedLcApiOptions {
  const o = { ...LC_API_DEFAULTS, sleep: defaultSleep, ...stripUndefined(options) };
  const url = parseBaseUrl(o.baseUrl);
  if (!/^[A-Za-z0-9._-]+$/.test(o.apiVersion)) {
    throw new RangeError(
      `apiVersion: must be a path segment like "v1", got ${JSON.stringify(o.apiVersion)}`,
    );
  }
  positiveInt('timeoutMs', o.timeoutMs);
  positiveInt('maxAttempts', o.maxAttempts);
  positiveInt('backoffBaseMs', o.backoffBaseMs);
  positiveInt('backoffMaxMs', o.backoffMaxMs);
  positiveInt('maxResponseBytes', o.maxResponseBytes);
  positiveInt('maxErrorBodyBytes', o.maxErrorBodyBytes);
  positiveInt('maxErrorTextChars', o.maxErrorTextChars);
  return Object.freeze({ ...o, baseUrl: url });
}

const defaultSleep = async (ms: number, signal: AbortSignal): Promise<void> => {
  await sleepFor(ms, undefined, { signal });
};

function parseBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError(`baseUrl: not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RangeError(`baseUrl: must be http(s), got ${url.protocol}`);
  }
  // Credentials in the URL would travel beside the JWT; a query or fragment would end up before
  // the endpoint's path.
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new RangeError(
      'baseUrl: must be scheme, host and path only (no credentials, query or #)',
    );
  }
  return url.href.replace(/\/+$/, '');
}

function positiveInt(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name}: must be a positive whole number, got ${value}`);
  }
}

function stripUndefined(options: LcApiClientOptions): LcApiClientOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}
