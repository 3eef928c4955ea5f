import { randomUUID } from 'node:crypto';
import { status, type StatusObject, Metadata } from '@grpc/grpc-js';
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

/** Receives one entry per INTERNAL error: its id, class, code, message and stack frames. */
export type ErrorLogger = (line: string) => void;

const defaultLogger: ErrorLogger = (line) => console.error(line);

/**
 * What is logged of an unexpected error: its id, class name, `code` (a PostgreSQL SQLSTATE, a
 * Node errno name), message and stack frames (code locations). Never the error object itself:
 * a PostgreSQL error's `detail` ("Failing row contains (…)"), `where` or `parameters` can quote
 * the row being written, passwords included.
 */
export function describeInternalError(errorId: string, err: unknown): string {
  if (!(err instanceof Error)) return `internal error ${errorId}: non-Error thrown (${typeof err})`;
  const code = (err as { code?: unknown }).code;
  const codeText = typeof code === 'string' || typeof code === 'number' ? ` [code ${code}]` : '';
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 10);
  return [`internal error ${errorId}: ${err.name}${codeText}: ${err.message}`, ...frames].join(
    '\n',
  );
}

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
export function toGrpcStatus(err: unknown, log: ErrorLogger = defaultLogger): StatusObject {
  const code = codeOf(err);
  if (code !== undefined) {
    return { code, details: (err as Error).message, metadata: new Metadata() };
  }
  const errorId = randomUUID();
  log(describeInternalError(errorId, err));
  return {
    code: status.INTERNAL,
    details: `internal error (error id ${errorId}); the server log has the cause`,
    metadata: new Metadata(),
  };
}
