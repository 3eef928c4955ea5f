import { Metadata, type handleUnaryCall } from '@grpc/grpc-js';
import { TRACE_ID_METADATA_KEY, type CallContext } from './call-context.js';
import { contextOf } from './call-context-of.js';
import type { Logger } from '@checkwire/log';
import { recordUnary, rpcStarted } from './rpc-metrics.js';
import { toGrpcStatus } from './to-grpc-status.js';
import { handlerChecksDecoding, UndecodableRequest } from './undecodable-request.js';

/** A unary handler: a plain async function that returns the response or throws. */
export type UnaryHandler<Req, Res> = (request: Req, context: CallContext) => Promise<Res>;

function traceMetadata(traceId: string | undefined, into = new Metadata()): Metadata {
  if (traceId !== undefined) into.set(TRACE_ID_METADATA_KEY, traceId);
  return into;
}

/** Adapts a promise-returning handler to grpc-js's callback shape. */
export function unary<Req, Res>(
  handler: UnaryHandler<Req, Res>,
  log?: Logger,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const started = rpcStarted();
    const context = contextOf(call);
    const request: unknown = call.request;
    const handled =
      request instanceof UndecodableRequest && !handlerChecksDecoding(handler)
        ? Promise.reject(request.toError())
        : handler(call.request, context);
    handled.then(
      (response) => {
        if (context.traceId !== undefined) call.sendMetadata(traceMetadata(context.traceId));
        callback(null, response);
        recordUnary(call, 0, started);
      },
      (err: unknown) => {
        const status = toGrpcStatus(err, log);
        callback({ ...status, metadata: traceMetadata(context.traceId, status.metadata) });
        recordUnary(call, status.code, started);
      },
    );
  };
}
