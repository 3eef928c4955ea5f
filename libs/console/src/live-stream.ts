import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { CallOptions } from '@checkwire/grpc';
import { Backend } from './backend.js';
import { callerOf } from './caller.js';
import { tokenOf, type ConsoleDeps, type ConsoleEnv } from './console-env.js';
import { httpErrorOf } from './http-errors.js';

/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** How long a browser's EventSource waits before reconnecting (sent with the first event). */
const RETRY_MS = 2000;

/** One Server-Sent Event: its name, and what is sent as its JSON data. */
export interface LiveEvent {
  event: string;
  data: unknown;
}

/**
 * A live page's Server-Sent Events, from a gRPC watch the route opens with `call` (the caller's
 * own token, and a signal that cancels the watch when the browser goes). The route only turns
 * the watch's messages into events; here, for every live page alike: a stream slot is held while
 * it is open; a heartbeat comment keeps it open through proxies; when the watch (or the route)
 * fails, one `failure` event says why ({status, error}) and the stream ends (the EventSource
 * then reconnects); a 401 also ends the session (its token was revoked), and a failure that is
 * not a server's refusal (502) is logged, as the API's other answers are. A refused slot is said
 * the same way, as a stream: a browser's EventSource is never shown the body of a non-200 answer.
 */
export function liveStream(
  c: Context<ConsoleEnv>,
  deps: ConsoleDeps,
  events: (call: CallOptions) => AsyncIterable<LiveEvent>,
): Response {
  const session = c.get('session');
  let release: () => void;
  try {
    release = deps.slots.take(callerOf(c));
  } catch (err) {
    return streamSSE(c, (stream) => stream.writeSSE(failureEvent(httpErrorOf(err))));
  }
  return streamSSE(c, async (stream) => {
    const abort = new AbortController();
    stream.onAbort(() => abort.abort());
    const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n'), HEARTBEAT_MS);
    let first = true;
    try {
      for await (const { event, data } of events(
        Backend.as(tokenOf(session), { signal: abort.signal }),
      )) {
        await stream.writeSSE({
          event,
          data: JSON.stringify(data),
          retry: first ? RETRY_MS : undefined,
        });
        first = false;
      }
    } catch (err) {
      if (!abort.signal.aborted) {
        const answer = httpErrorOf(err);
        if (answer.status === 401 && session !== undefined) deps.sessions.delete(session.id);
        if (answer.status === 502) {
          deps.log.error(`console: ${c.req.path} failed`, { err: String(err) });
        }
        await stream.writeSSE(failureEvent(answer));
      }
    } finally {
      clearInterval(heartbeat);
      abort.abort();
      release();
    }
  });
}

const failureEvent = ({ status, message }: { status: number; message: string }) => ({
  event: 'failure',
  data: JSON.stringify({ status, error: message }),
});
