import { randomUUID } from 'node:crypto';
import { GrpcStatus as status, isGrpcError } from '@checkwire/grpc';
import { NOT_IMPLEMENTED, type LcResponseBody } from '@checkwire/lc-wire';
import { createLogger } from '@checkwire/log';
import type { Route } from './route.js';

/** The answers the gateway makes itself when a handler, the Jobs service or the scheduler fails. */

export const retry = (error: string, data: Record<string, unknown> = {}): LcResponseBody => ({
  success: false,
  retry: true,
  data,
  error,
});

export function failure(error: string): LcResponseBody {
  return { success: false, retry: false, data: {}, error };
}

const LOG = createLogger('lc-gateway');

/**
 * Logs what went wrong under a new error id and returns the id: answers carry the id, never the
 * details (addresses, a handler's exception text), which stay in the gateway's log.
 */
export function logged(what: string, err: unknown): string {
  if (!isGrpcError(err)) return LOG.failure(what, err);
  const errorId = randomUUID();
  LOG.warn(`${what}: error ${errorId}: ${status[err.code]}: ${err.details}`);
  return errorId;
}

/** What the gateway answers when a handler call fails, by gRPC status. */
export function handlerFailure(route: Route, err: unknown): LcResponseBody {
  if (!isGrpcError(err)) throw err;
  const name = route.name;
  switch (err.code) {
    case status.UNIMPLEMENTED:
      return NOT_IMPLEMENTED;
    case status.UNAVAILABLE:
      // A handler restarting: one log line per outage, and LimaCharlie calls again.
      LOG.outage(`handler ${name}`, `handler ${name} is unavailable: ${err.details}`);
      return retry(`handler ${name} is unavailable; try again shortly`);
    case status.DEADLINE_EXCEEDED:
      return retry(`handler ${name} did not answer before the deadline`);
    default: {
      // lcservice answers an exception with retry and data.exception; we send no details at all.
      const id = logged(`handler ${name} failed`, err);
      const message = `handler ${name} failed (error id ${id})`;
      return retry(message, { exception: message });
    }
  }
}

/** Jobs refusals that a retry cannot fix: the handler's jobs are wrong, not the Jobs service. */
const PERMANENT_JOBS_ERRORS: ReadonlySet<number> = new Set([
  status.INVALID_ARGUMENT,
  status.FAILED_PRECONDITION,
  status.NOT_FOUND,
]);
/** Jobs failures worth another try (LimaCharlie calls again; the handler returns its jobs again). */
const TRANSIENT_JOBS_ERRORS: ReadonlySet<number> = new Set([
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.RESOURCE_EXHAUSTED,
  status.INTERNAL,
]);

/** What the gateway answers when the Jobs service did not store a handler's jobs. */
export function jobsFailure(route: Route, err: unknown): LcResponseBody {
  if (isGrpcError(err) && PERMANENT_JOBS_ERRORS.has(err.code)) {
    // Our own validation message (it names the field): the handler's author needs it.
    return failure(`the jobs of handler ${route.name} were refused: ${err.details}`);
  }
  if (isGrpcError(err) && err.code === status.UNAVAILABLE) {
    LOG.outage('jobs', `the jobs of handler ${route.name} were not stored: ${err.details}`);
    return retry(`the jobs of handler ${route.name} could not be stored now; try again shortly`);
  }
  const id = logged(`the jobs of handler ${route.name} were not stored`, err);
  const message = `the jobs of handler ${route.name} could not be stored (error id ${id})`;
  if (!isGrpcError(err) || TRANSIENT_JOBS_ERRORS.has(err.code)) return retry(message);
  return failure(message);
}
