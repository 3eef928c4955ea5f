import { status } from '@grpc/grpc-js';
import { isGrpcError } from './grpc-error.js';

/**
 * Statuses that refuse the request itself: sending it again, as it is, will be refused again.
 * A batch refused with one of these is worth splitting; one entry of it is worth giving up on.
 */
export const REQUEST_REFUSALS: readonly status[] = [
  status.INVALID_ARGUMENT,
  status.NOT_FOUND,
  status.PERMISSION_DENIED,
  status.FAILED_PRECONDITION,
];

export function isRequestRefusal(err: unknown): boolean {
  return REQUEST_REFUSALS.some((code) => isGrpcError(err, code));
}

/** A failed call in one line for a log: `NOT_FOUND: service 7 not found`. */
export function describeCallError(err: unknown): string {
  return isGrpcError(err) ? `${status[err.code]}: ${err.details}` : String(err);
}
