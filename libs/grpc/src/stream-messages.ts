import type { ClientReadableStream } from '@grpc/grpc-js';

/**
 * A server stream's messages, its error replaced by what `fail` makes of it. The error is
 * listened for at once, so one that comes before the caller iterates is neither lost nor an
 * unhandled 'error' event. Leaving the loop early cancels the call, so the server stops streaming.
 */
export function messagesOf<T>(
  call: ClientReadableStream<T>,
  fail: (err: unknown) => unknown,
): AsyncGenerator<T> {
  let failure: { err: unknown } | undefined;
  call.on('error', (err) => (failure = { err }));
  return (async function* () {
    try {
      for await (const message of call) yield message as T;
    } catch (err) {
      throw fail(err);
    } finally {
      call.cancel();
    }
    // The error came before the loop listened: the loop saw only the end of the stream.
    if (failure !== undefined) throw fail(failure.err);
  })();
}
