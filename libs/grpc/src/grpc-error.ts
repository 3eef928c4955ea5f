import type { ServiceError, status } from '@grpc/grpc-js';

/** True when `err` is a gRPC error (with this status code, if given). */
export function isGrpcError(err: unknown, code?: status): err is ServiceError {
  if (typeof err !== 'object' || err === null || !('code' in err) || !('details' in err)) {
    return false;
  }
  return code === undefined || (err as ServiceError).code === code;
}
