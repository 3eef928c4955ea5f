import type { ServerUnaryCall } from '@grpc/grpc-js';
import { activeTraceId, callerContext } from '@checkwire/telemetry';
import type { CallContext } from './call-context.js';

/** What a CallContext is built from: a grpc-js server call (unary or streaming). */
export interface ServedCall {
  metadata: ServerUnaryCall<unknown, unknown>['metadata'];
  /** Set by grpc-js once the client cancelled, the deadline passed, or the call was answered. */
  readonly cancelled: boolean;
  getPeer(): string;
  once(event: 'cancelled', listener: () => void): unknown;
}

const cancelledError = () => new Error('call cancelled');

/**
 * The context a handler is given. Its AbortSignal is built only when a handler asks for it: an
 * AbortController is an EventTarget, and building one for every call (then aborting it, since
 * grpc-js reports every finished call as cancelled) was about 5 % of the scorer's CPU per check.
 * Code that only polls for cancellation reads `ended.aborted`, which costs nothing.
 */
export function contextOf(call: ServedCall): CallContext {
  let controller: AbortController | undefined;
  return {
    metadata: call.metadata,
    get signal(): AbortSignal {
      if (controller === undefined) {
        const created = new AbortController();
        controller = created;
        if (call.cancelled) created.abort(cancelledError());
        else call.once('cancelled', () => created.abort(cancelledError()));
      }
      return controller.signal;
    },
    ended: {
      get aborted() {
        return call.cancelled;
      },
    },
    peer: call.getPeer(),
    traceId: activeTraceId(),
    caller: callerContext((key) => call.metadata.get(key)[0]?.toString()),
  };
}
