/**
 * What a failed fetch() says about whether the request left this machine. Only a failure to set
 * up the connection (name lookup, TCP connect, connect timeout) proves nothing was sent; anything
 * later (a reset, "other side closed", a TLS error) may have come after LimaCharlie read the
 * request, so it may have acted on it.
 */
export interface NetworkFailure {
  /** False only when the request certainly never reached LimaCharlie. */
  sent: boolean;
  /** The system or undici error code (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET…), if any. */
  code: string | undefined;
}

const CONNECT_SYSCALLS: ReadonlySet<string> = new Set(['connect', 'getaddrinfo']);
const CONNECT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export function describeNetworkFailure(err: unknown): NetworkFailure {
  // fetch() wraps the cause: TypeError("fetch failed", { cause }).
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
  const errors = cause instanceof AggregateError ? (cause.errors as unknown[]) : [cause];
  const code = codeOf(cause) ?? codeOf(errors[0]);
  const beforeSending = errors.length > 0 && errors.every(isConnectFailure);
  return { sent: !beforeSending, code };
}

function isConnectFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, syscall } = err as { code?: unknown; syscall?: unknown };
  if (typeof syscall === 'string' && CONNECT_SYSCALLS.has(syscall)) return true;
  return typeof code === 'string' && CONNECT_CODES.has(code);
}

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code } = err as { code?: unknown };
  return typeof code === 'string' ? code : undefined;
}
