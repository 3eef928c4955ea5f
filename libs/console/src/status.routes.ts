import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { Backend } from './backend.js';
import { callerOf } from './caller.js';
import { tokenOf, type ConsoleDeps, type ConsoleEnv } from './console-env.js';
import { httpErrorOf } from './http-errors.js';
import { statusView } from './views.js';

/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

/**
 * The Service Status page's data: `GET /stream` is Server-Sent Events fed by WatchServiceStatus
 * with the caller's own token: one `snapshot` event (every service it may see), then a `change`
 * per change; `failure` when the watch ends (the browser's EventSource then reconnects and gets a
 * fresh snapshot, so nothing is missed).
 */
export function statusRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  routes.get('/stream', (c) => {
    const session = c.get('session');
    const release = deps.slots.take(callerOf(c));
    return streamSSE(c, async (stream) => {
      const abort = new AbortController();
      stream.onAbort(() => abort.abort());
      const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n'), HEARTBEAT_MS);
      try {
        const snapshot: ReturnType<typeof statusView>[] = [];
        const watch = deps.backend.status.watchServiceStatus(
          {},
          Backend.as(tokenOf(session), { signal: abort.signal }),
        );
        for await (const { event } of watch) {
          if (event?.$case === 'initial') {
            snapshot.push(statusView(event.value));
          } else if (event?.$case === 'snapshotComplete') {
            await stream.writeSSE({
              event: 'snapshot',
              data: JSON.stringify(snapshot),
              retry: 2000,
            });
            snapshot.length = 0;
          } else if (event?.$case === 'change') {
            await stream.writeSSE({
              event: 'change',
              data: JSON.stringify(statusView(event.value)),
            });
          }
        }
      } catch (err) {
        if (!abort.signal.aborted) {
          const { status, message } = httpErrorOf(err);
          if (status === 401 && session !== undefined) deps.sessions.delete(session.id);
          await stream.writeSSE({
            event: 'failure',
            data: JSON.stringify({ status, error: message }),
          });
        }
      } finally {
        clearInterval(heartbeat);
        abort.abort();
        release();
      }
    });
  });
  return routes;
}
