import { status } from '@grpc/grpc-js';
import { isGrpcError } from './grpc-error.js';

/**
 * grpc-js's text for a call whose HTTP/2 stream was reset with REFUSED_STREAM: the server (or the
 * client's HTTP/2 layer, for a stream sent after the server's GOAWAY) closed it before processing
 * anything, and "any request that was sent on the reset stream can be safely retried" (RFC 9113
 * §8.7). It is grpc-js's text, not an API: `test/refused-stream.test.ts` pins it against a real
 * HTTP/2 server that refuses streams, so an upgrade that changes it fails there.
 */
const REFUSED_STREAM_DETAILS = 'Stream refused by server';

/**
 * Attempts of a call that is refused unprocessed, the first included. grpc-js sends a refused
 * call again once by itself; that is not enough when a client's connections reach their age
 * (load-balancing.ts) close together: grpc-js's server sends its GOAWAY and closes at once, so the
 * calls it had not read yet are refused, and the call sent again to the next replica can be
 * refused the same way. Each refusal moves the call on (the refusing connection takes no more),
 * so a few attempts always reach a server; they are sent at once, within the call's deadline.
 */
export const REFUSED_STREAM_ATTEMPTS = 4;

/** True when `err` says the server refused the call's stream before processing it. */
export function isRefusedStream(err: unknown): boolean {
  return isGrpcError(err, status.UNAVAILABLE) && err.details === REFUSED_STREAM_DETAILS;
}

/**
 * A unary call, sent again while it is refused unprocessed (up to `REFUSED_STREAM_ATTEMPTS`) and
 * `signal` (the call's) has not aborted.
 */
export async function resendRefused<T>(
  attempt: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= REFUSED_STREAM_ATTEMPTS || signal?.aborted === true || !isRefusedStream(err)) {
        throw err;
      }
    }
  }
}

/**
 * A server stream, opened at once and opened again while it is refused unprocessed (up to
 * `REFUSED_STREAM_ATTEMPTS`) and `signal` has not aborted; once a message has arrived, its errors
 * are the caller's. Leaving the loop early cancels the open call (see `messagesOf`).
 */
export function resendRefusedStream<T>(
  open: () => AsyncIterable<T>,
  signal?: AbortSignal,
): AsyncGenerator<T> {
  const first = open();
  return (async function* () {
    let stream = first;
    for (let n = 1; ; n++) {
      let received = false;
      try {
        for await (const message of stream) {
          received = true;
          yield message;
        }
        return;
      } catch (err) {
        const refused = !received && isRefusedStream(err);
        if (!refused || n >= REFUSED_STREAM_ATTEMPTS || signal?.aborted === true) throw err;
      }
      stream = open();
    }
  })();
}
