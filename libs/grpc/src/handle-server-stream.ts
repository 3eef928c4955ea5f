import { status, type handleServerStreamingCall, type ServerWritableStream } from '@grpc/grpc-js';
import type { CallContext } from './call-context.js';
import { contextOf } from './call-context-of.js';
import type { Logger } from '@checkwire/log';
import { streamEnded, streamOpened } from './rpc-metrics.js';
import { toGrpcStatus } from './to-grpc-status.js';
import { handlerChecksDecoding, UndecodableRequest } from './undecodable-request.js';

/** A server-streaming handler: yields responses until done; stops when `context.signal` aborts. */
export type ServerStreamHandler<Req, Res> = (
  request: Req,
  context: CallContext,
) => AsyncIterable<Res>;

function write<Res>(
  call: ServerWritableStream<unknown, Res>,
  message: Res,
  signal: AbortSignal,
): Promise<void> {
  // Honour back-pressure: wait for 'drain' (or cancellation) when the transport buffer is full.
  if (call.write(message)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      call.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    call.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Adapts an async-iterable handler to grpc-js's writable-stream shape. */
export function serverStream<Req, Res>(
  handler: ServerStreamHandler<Req, Res>,
  log?: Logger,
): handleServerStreamingCall<Req, Res> {
  return (call) => {
    const started = streamOpened(call);
    const context = contextOf(call);
    void (async () => {
      // The status it ends with; CANCELLED when the caller went away first.
      let code: number = status.OK;
      try {
        const request: unknown = call.request;
        if (request instanceof UndecodableRequest && !handlerChecksDecoding(handler)) {
          throw request.toError();
        }
        for await (const message of handler(call.request, context)) {
          if (context.signal.aborted) break;
          await write(call, message, context.signal);
        }
        if (context.signal.aborted) code = status.CANCELLED;
        else call.end();
      } catch (err) {
        // grpc-js turns an 'error' event on a server stream into the call's final status.
        if (context.signal.aborted) {
          code = status.CANCELLED;
        } else {
          const answer = toGrpcStatus(err, log);
          code = answer.code;
          call.emit('error', answer);
        }
      } finally {
        streamEnded(call, code, started);
      }
    })();
  };
}
