import { randomUUID } from 'node:crypto';
import { status, type StatusObject, Metadata } from '@grpc/grpc-js';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
  UnavailableError,
} from '@checkwire/errors';

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

export type ErrorLogger = (message: string, cause: unknown) => void;

const defaultLogger: ErrorLogger = (message, cause) => console.error(message, cause);

function codeOf(err: unknown): status | undefined {
  if (err instanceof ServerError) return err.code;
  if (err instanceof InvalidArgumentError) return status.INVALID_ARGUMENT;
  if (err instanceof NotFoundError) return status.NOT_FOUND;
  if (err instanceof AlreadyExistsError) return status.ALREADY_EXISTS;
  if (err instanceof FailedPreconditionError) return status.FAILED_PRECONDITION;
  if (err instanceof UnauthenticatedError) return status.UNAUTHENTICATED;
  if (err instanceof PermissionDeniedError) return status.PERMISSION_DENIED;
  if (err instanceof UnavailableError) return status.UNAVAILABLE;
  return undefined;
}

/**
 * The one place an error becomes a gRPC status. Known errors keep their message; anything else is
 * INTERNAL with a generic message and an error id, and its cause goes to the log, never the wire.
 */
export function toGrpcStatus(err: unknown, log: ErrorLogger = defaultLogger): StatusObject {
  const code = codeOf(err);
  if (code !== undefined) {
    return { code, details: (err as Error).message, metadata: new Metadata() };
  }
  const errorId = randomUUID();
  log(`internal error ${errorId}`, err);
  return {
    code: status.INTERNAL,
    details: `internal error (error id ${errorId}); the server log has the cause`,
    metadata: new Metadata(),
  };
}
