import { status, type StatusObject, Metadata } from '@grpc/grpc-js';
import { createLogger, isUnreachableDependency, type Logger } from '@checkwire/log';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
} from '@checkwire/errors';

/** What a caller is told while the database cannot be reached. */
export const UNAVAILABLE_DETAILS =
  'the database is unreachable right now; try again in a few seconds';

/** The standard gRPC hint of how long a client should wait before retrying. */
const RETRY_PUSHBACK_MS = '1000';

/** An error that already carries the exact gRPC status to answer with. */
export class ServerError extends Error {
  constructor(
    readonly code: status,
    readonly details: string,
  ) {
    super(details);
    this.name = 'ServerError';
  }
}

/** Where the edge logs what it hides behind INTERNAL, and database outages (once each). */
const EDGE_LOG: Logger = createLogger('grpc');

function codeOf(err: unknown): status | undefined {
  if (err instanceof ServerError) return err.code;
  if (err instanceof InvalidArgumentError) return status.INVALID_ARGUMENT;
  if (err instanceof NotFoundError) return status.NOT_FOUND;
  if (err instanceof AlreadyExistsError) return status.ALREADY_EXISTS;
  if (err instanceof FailedPreconditionError) return status.FAILED_PRECONDITION;
  if (err instanceof UnauthenticatedError) return status.UNAUTHENTICATED;
  if (err instanceof PermissionDeniedError) return status.PERMISSION_DENIED;
  if (err instanceof UnavailableError) return status.UNAVAILABLE;
  if (err instanceof ResourceExhaustedError) return status.RESOURCE_EXHAUSTED;
  return undefined;
}

/**
 * The one place an error becomes a gRPC status. Known errors keep their message; anything else is
 * INTERNAL with a generic message and an error id, and a summary of its cause (see
 * describeInternalError) goes to the log, never the wire.
 */
export function toGrpcStatus(err: unknown, log: Logger = EDGE_LOG): StatusObject {
  const code = codeOf(err);
  if (code !== undefined) {
    return { code, details: (err as Error).message, metadata: new Metadata() };
  }
  if (isUnreachableDependency(err)) {
    log.failure('answering UNAVAILABLE', err);
    const metadata = new Metadata();
    metadata.set('grpc-retry-pushback-ms', RETRY_PUSHBACK_MS);
    return { code: status.UNAVAILABLE, details: UNAVAILABLE_DETAILS, metadata };
  }
  const errorId = log.failure('answering INTERNAL', err);
  return {
    code: status.INTERNAL,
    details: `internal error (error id ${errorId}); the server log has the cause`,
    metadata: new Metadata(),
  };
}
