import { GrpcStatus as status, isGrpcError } from '@checkwire/grpc';
import { extensionError, type ExtensionResponseBody } from '@checkwire/lc-wire';
import { createLogger } from '@checkwire/log';
import type { ExtensionRoute } from './extension-route.js';
import { logged } from './handler-failures.js';

/** The answers the gateway makes itself when an extension handler or the scheduler fails. */

const LOG = createLogger('lc-gateway');

/** The handler does not implement the RPC: what that means depends on the message's kind. */
export const UNIMPLEMENTED = Symbol('unimplemented');

/**
 * What the gateway answers when a handler call fails, by gRPC status: all retriable (HTTP 500),
 * as lc-extension treats an error it cannot classify. Answers never carry the handler's details
 * (its exception text, addresses): those are logged under the error id the answer names.
 */
export function extensionHandlerFailure(
  route: ExtensionRoute,
  err: unknown,
): ExtensionResponseBody | typeof UNIMPLEMENTED {
  if (!isGrpcError(err)) throw err;
  const name = route.name;
  switch (err.code) {
    case status.UNIMPLEMENTED:
      return UNIMPLEMENTED;
    case status.UNAVAILABLE:
      LOG.outage(`extension ${name}`, `extension ${name} is unavailable: ${err.details}`);
      return extensionError(`extension ${name} is unavailable; try again shortly`);
    case status.DEADLINE_EXCEEDED:
      return extensionError(`extension ${name} did not answer before the deadline`);
    default: {
      const id = logged(`extension ${name} failed`, err);
      return extensionError(`extension ${name} failed (error id ${id})`);
    }
  }
}

/** The scheduler refused the continuations themselves: sending again cannot help. */
const PERMANENT: ReadonlySet<number> = new Set([
  status.INVALID_ARGUMENT,
  status.FAILED_PRECONDITION,
]);

/** Why the answer is retriable when the continuations were not stored. */
export const NOT_STORED = 'continuations could not be stored; nothing was lost, send again';

/** What the gateway answers when the scheduler did not store an answer's continuations. */
export function continuationsFailure(route: ExtensionRoute, err: unknown): ExtensionResponseBody {
  if (isGrpcError(err) && PERMANENT.has(err.code)) {
    // The scheduler's own validation message (it names the field): the author needs it.
    return extensionError(
      `the continuations of extension ${route.name} were refused: ${err.details}`,
      false,
    );
  }
  if (isGrpcError(err) && err.code === status.UNAVAILABLE) {
    LOG.outage('scheduler', `continuations of ${route.name} not stored: ${err.details}`);
    return extensionError(NOT_STORED);
  }
  const id = logged(`continuations of extension ${route.name} not stored`, err);
  return extensionError(`${NOT_STORED} (error id ${id})`);
}
