import { status, type Metadata, type ServiceError } from '@grpc/grpc-js';

/**
 * A call that never reached the server: no connection could be made (UNAVAILABLE, at once when
 * the connection is refused) or none was made before the deadline (DEADLINE_EXCEEDED). It keeps
 * grpc-js's status code, so `isGrpcError`, `err.code` and retries see what they always saw; its
 * message (and `details`) is one sentence naming the address, e.g.
 * `127.0.0.1:1 is unreachable (connection refused); is the server running?`. grpc-js's own error,
 * with its full text, is the `cause`.
 */
export class ServerUnreachableError extends Error implements ServiceError {
  override readonly name = 'ServerUnreachableError';
  readonly code: status;
  readonly details: string;
  readonly metadata: Metadata;

  constructor(
    /** The address the client was created with. */
    readonly address: string,
    /** What went wrong, e.g. `connection refused`. */
    readonly reason: string,
    hint: string,
    cause: ServiceError,
  ) {
    const sentence = `${address} is unreachable (${reason}); ${hint}`;
    super(sentence, { cause });
    this.code = cause.code;
    this.details = sentence;
    this.metadata = cause.metadata;
  }
}

const RUNNING = 'is the server running?';
const ADDRESS = 'is the address right?';
const TLS = 'do the client and the server agree on TLS?';

/** Node's connect errors, as they appear in grpc-js's "Last error". */
const ERRNO_REASONS: ReadonlyMap<string, readonly [reason: string, hint: string]> = new Map([
  ['ECONNREFUSED', ['connection refused', RUNNING]],
  ['ECONNRESET', ['connection reset', RUNNING]],
  ['ETIMEDOUT', ['connection timed out', RUNNING]],
  ['EHOSTUNREACH', ['no route to host', ADDRESS]],
  ['ENETUNREACH', ['network unreachable', ADDRESS]],
  ['ENOTFOUND', ['name not resolved', ADDRESS]],
  ['EAI_AGAIN', ['name not resolved', ADDRESS]],
]);

/**
 * grpc-js 1.x's texts for a call that got no connection (the pick_first / round_robin load
 * balancer had none to give it). They are grpc-js's, not an API: `test/unreachable.test.ts` pins
 * them against real refused and silent ports, so an upgrade that changes them fails there.
 */
const NO_CONNECTION =
  /^(?:\w+: )?No connection established\. Last error: ([\s\S]*?)(?:\. Resolution note: [\s\S]*)?$/;
const NO_NAME = /^(?:Name resolution failed|No addresses resolved)/;
const NOT_CONNECTED_AT_DEADLINE = /Waiting for LB pick|waiting for name resolution/;

/** A connection's last error (`Error: connect ECONNREFUSED 127.0.0.1:1`) as a reason and hint. */
function reasonOf(lastError: string): readonly [reason: string, hint: string] {
  for (const [errno] of lastError.matchAll(/\bE[A-Z_]+\b/g)) {
    const known = ERRNO_REASONS.get(errno);
    if (known !== undefined) return known;
  }
  const ssl = /SSL routines:[^:]*:([^:]+):/.exec(lastError)?.[1];
  if (ssl !== undefined) return [`TLS: ${ssl}`, TLS];
  const text = lastError
    .replace(/^Error: /, '')
    .split('\n')[0]!
    .replace(/ \(\d{4}-\d\d-\d\dT[^)]*\)$/, '');
  // grpc-js's words when the connection closed before the server's HTTP/2 settings arrived.
  if (text === 'Failed to connect') return ['closed before the HTTP/2 handshake', TLS];
  if (/certificate|TLS|SSL/i.test(text)) return [`TLS: ${text}`, TLS];
  return [text === '' ? 'no connection' : text, RUNNING];
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/**
 * `err` as a `ServerUnreachableError` when it says the call got no connection to `address`
 * (within `deadlineMs`, when it has one); any other error unchanged, the server's own
 * UNAVAILABLE answers included.
 */
export function asServerUnreachable(
  err: ServiceError,
  address: string,
  deadlineMs?: number,
): ServiceError {
  if (err.code === status.UNAVAILABLE) {
    const lastError = NO_CONNECTION.exec(err.details)?.[1];
    if (lastError !== undefined)
      return new ServerUnreachableError(address, ...reasonOf(lastError), err);
    if (NO_NAME.test(err.details)) {
      return new ServerUnreachableError(address, 'name not resolved', ADDRESS, err);
    }
  }
  if (err.code === status.DEADLINE_EXCEEDED && NOT_CONNECTED_AT_DEADLINE.test(err.details)) {
    const within =
      deadlineMs === undefined ? 'before the deadline' : `within ${formatMs(deadlineMs)}`;
    return new ServerUnreachableError(address, `no connection ${within}`, RUNNING, err);
  }
  return err;
}
