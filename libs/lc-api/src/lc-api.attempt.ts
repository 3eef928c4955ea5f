import { readBounded } from './bounded-body.js';
import { lcErrorText } from './lc-error-text.js';
import type { ResolvedLcApiOptions } from './lc-api.options.js';
import { describeNetworkFailure } from './network-failure.js';
import { parseRetryAfter } from './retry-after.js';

/** What one HTTP request to LimaCharlie came to. */
export type AttemptOutcome =
  | { kind: 'ok'; status: number; body: unknown }
  /** 2xx, but not an answer LimaCharlie gives: LimaCharlie did act on the request. */
  | { kind: 'bad-response'; status: number; problem: string }
  | {
      kind: 'http-error';
      status: number;
      lcError: string | undefined;
      retryAfterMs: number | undefined;
    }
  | { kind: 'network'; sent: boolean; code: string | undefined; cause: unknown }
  | { kind: 'aborted' };

export interface HttpRequest {
  method: 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** One request, its answer read within the options' bounds; never throws. */
export async function attempt(
  request: HttpRequest,
  jwt: string,
  signal: AbortSignal,
  options: ResolvedLcApiOptions,
): Promise<AttemptOutcome> {
  let res: Response;
  try {
    res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
      // LimaCharlie's API does not redirect these calls; following one would send the form (and,
      // to the same origin, the JWT) somewhere the caller did not name.
      redirect: 'manual',
    });
  } catch (err) {
    if (signal.aborted) return { kind: 'aborted' };
    return { kind: 'network', ...describeNetworkFailure(err), cause: err };
  }
  try {
    if (res.status >= 200 && res.status < 300) return await readAnswer(res, options);
    const { bytes, truncated } = await readBounded(res.body, options.maxErrorBodyBytes);
    return {
      kind: 'http-error',
      status: res.status,
      lcError: lcErrorText(bytes, truncated, jwt, options.maxErrorTextChars),
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), Date.now()),
    };
  } catch (err) {
    if (signal.aborted) return { kind: 'aborted' };
    // The status line arrived, so LimaCharlie had the request: it may have acted on it.
    return { kind: 'network', ...describeNetworkFailure(err), sent: true, cause: err };
  }
}

async function readAnswer(res: Response, options: ResolvedLcApiOptions): Promise<AttemptOutcome> {
  const { bytes, truncated } = await readBounded(res.body, options.maxResponseBytes);
  if (truncated) {
    const problem = `is larger than ${options.maxResponseBytes} bytes (read no further)`;
    return { kind: 'bad-response', status: res.status, problem };
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  // python-limacharlie takes an empty answer as {} too.
  if (text.trim() === '') return { kind: 'ok', status: res.status, body: {} };
  try {
    return { kind: 'ok', status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'bad-response', status: res.status, problem: 'is not JSON' };
  }
}

/** Whether LimaCharlie may have acted on the request that came to this. */
export function mayHaveApplied(outcome: AttemptOutcome): boolean {
  switch (outcome.kind) {
    case 'ok':
    case 'bad-response':
    case 'aborted':
      return true;
    case 'network':
      return outcome.sent;
    case 'http-error':
      // A 4xx (429 included) is LimaCharlie refusing; a 5xx may come from a gateway after the
      // backend acted (a 504 is exactly that).
      return outcome.status >= 500;
  }
}
