import { Hono } from 'hono';
import type { ConsoleDeps, ConsoleEnv } from './console-env.js';
import { liveStream } from './live-stream.js';
import { statusView } from './views.js';

/**
 * The Service Status page's data: `GET /stream` is Server-Sent Events fed by WatchServiceStatus
 * with the caller's own token: one `snapshot` event (every service it may see), then a `change`
 * per change; `failure` when the watch ends (the browser's EventSource then reconnects and gets a
 * fresh snapshot, so nothing is missed).
 */
export function statusRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  routes.get('/stream', (c) =>
    liveStream(c, deps, async function* (call) {
      const snapshot: ReturnType<typeof statusView>[] = [];
      for await (const { event } of deps.backend.status.watchServiceStatus({}, call)) {
        if (event?.$case === 'initial') {
          snapshot.push(statusView(event.value));
        } else if (event?.$case === 'snapshotComplete') {
          yield { event: 'snapshot', data: snapshot.splice(0) };
        } else if (event?.$case === 'change') {
          yield { event: 'change', data: statusView(event.value) };
        }
      }
    }),
  );
  return routes;
}
