import type { handleUnaryCall, ServerUnaryCall } from '@grpc/grpc-js';
import type { CallContext } from './call-context.js';
import { toGrpcStatus, type ErrorLogger } from './to-grpc-status.js';

/** A unary handler: a plain async function that returns the response or throws. */
export type UnaryHandler<Req, Res> = (request: Req, context: CallContext) => Promise<Res>;

export function contextOf(call: {
  metadata: ServerUnaryCall<unknown, unknown>['metadata'];
  getPeer(): string;
  on(event: 'cancelled', listener: () => void): unknown;
}): CallContext {
  const controller = new AbortController();
  call.on('cancelled', () => controller.abort(new Error('call cancelled')));
  return { metadata: call.metadata, signal: controller.signal, peer: call.getPeer() };
}

/** Adapts a promise-returning handler to grpc-js's callback shape. */
export function unary<Req, Res>(
  handler: UnaryHandler<Req, Res>,
  log?: ErrorLogger,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(call.request, contextOf(call)).then(
      (response) => callback(null, response),
      (err: unknown) => callback(toGrpcStatus(err, log)),
    );
  };
}
