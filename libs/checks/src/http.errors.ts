import { down, fromNetworkError, type CheckResult, type FailureKind } from './check.js';
import { MAX_HTTP_HEADER_BYTES } from './limits.js';

/**
 * Why an HTTP check is down, thrown by the steps of the check (a request, a redirect, the login,
 * the verdict) and turned into its result once, by `httpResult`. Its message never holds a
 * credential, a request body or a cookie.
 */
export class HttpFailure extends Error {
  override readonly name = 'HttpFailure';
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** The server's certificate failed verification (only asked for with `verifyTls`). */
export class UntrustedCertificateError extends Error {
  override readonly name = 'UntrustedCertificateError';
}

/**
 * Any error of a request to `href` as an HttpFailure: what Node's HTTP parser refuses (headers
 * past the limit, an answer that is not HTTP) and a certificate that fails verification are the
 * server's answer, so `content`; network errors and the time limit as in every check.
 */
export function httpFailure(err: unknown, href: string): HttpFailure {
  if (err instanceof HttpFailure) return err;
  if (err instanceof UntrustedCertificateError)
    return new HttpFailure('content', `${href}: certificate not trusted: ${err.message}`);
  const code = (err as { code?: unknown }).code;
  if (code === 'HPE_HEADER_OVERFLOW')
    return new HttpFailure(
      'content',
      `${href}: headers longer than ${MAX_HTTP_HEADER_BYTES} bytes`,
    );
  if (typeof code === 'string' && code.startsWith('HPE_'))
    return new HttpFailure('content', `${href}: not an HTTP answer (${code})`);
  const result = fromNetworkError(err, href);
  return result.up
    ? new HttpFailure('other', href)
    : new HttpFailure(result.kind, result.message, result.detail);
}

/** The check's result for whatever stopped it. */
export function httpResult(err: unknown, href: string): CheckResult {
  const failure = httpFailure(err, href);
  return down(failure.kind, failure.message, failure.detail);
}
