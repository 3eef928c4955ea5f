import { GrpcStatus, isGrpcError } from '@checkwire/grpc';

/** An answer the console's API refuses with, before or instead of calling a server. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 502 | 503 | 504,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const BY_GRPC_CODE: Partial<Record<number, HttpError['status']>> = {
  [GrpcStatus.INVALID_ARGUMENT]: 400,
  [GrpcStatus.FAILED_PRECONDITION]: 409,
  [GrpcStatus.OUT_OF_RANGE]: 400,
  [GrpcStatus.UNAUTHENTICATED]: 401,
  [GrpcStatus.PERMISSION_DENIED]: 403,
  [GrpcStatus.NOT_FOUND]: 404,
  [GrpcStatus.ALREADY_EXISTS]: 409,
  [GrpcStatus.ABORTED]: 409,
  [GrpcStatus.RESOURCE_EXHAUSTED]: 429,
  [GrpcStatus.UNAVAILABLE]: 503,
  [GrpcStatus.DEADLINE_EXCEEDED]: 504,
};

/**
 * The one place a failure becomes an HTTP answer: the API's own refusals as they are, a gRPC
 * server's refusal with its status mapped and its words kept (they name the field or the role),
 * anything else as 502 without internals.
 */
export function httpErrorOf(err: unknown): { status: number; message: string } {
  if (err instanceof HttpError) return { status: err.status, message: err.message };
  if (isGrpcError(err)) {
    const status = BY_GRPC_CODE[err.code];
    if (status !== undefined) return { status, message: err.details || err.message };
  }
  return {
    status: 502,
    message: 'the scoring server failed to answer this request; try again, and see its log',
  };
}
