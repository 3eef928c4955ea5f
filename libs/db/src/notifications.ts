import { on } from 'node:events';
import type { NotificationListener } from './notification-listener.js';

/** Thrown by `notifications` when the listener's connection is (or was) lost. */
export class NotificationsLostError extends Error {
  constructor() {
    super('lost the PostgreSQL LISTEN connection; notifications may have been missed');
    this.name = 'NotificationsLostError';
  }
}

/**
 * The listener's notifications as an async iterable, for one watcher. It fails with
 * NotificationsLostError at once when the listener is not listening, and as soon as its
 * connection is lost: a notification sent meanwhile is gone, so a watcher must read its state
 * afresh (watch again) rather than carry on as if it had missed nothing. Ends when `signal` aborts.
 *
 * Subscribes immediately (before the first `next()`), so a caller can read its snapshot after
 * calling this and miss nothing in between.
 */
export interface Notifications extends AsyncIterable<string> {
  /** Stops listening (also done when the iteration ends or `signal` aborts). */
  close(): void;
}

export function notifications(listener: NotificationListener, signal: AbortSignal): Notifications {
  if (!listener.listening) throw new NotificationsLostError();
  const stop = new AbortController();
  let lost = false;
  const onLost = () => {
    lost = true;
    stop.abort();
  };
  const cleanup = () => {
    listener.off('lost', onLost);
    signal.removeEventListener('abort', cleanup);
    stop.abort();
  };
  listener.once('lost', onLost);
  signal.addEventListener('abort', cleanup, { once: true });
  const events = on(listener, 'notification', { signal: stop.signal });
  return {
    close: cleanup,
    async *[Symbol.asyncIterator]() {
      try {
        for await (const [payload] of events) yield payload as string;
      } catch (err) {
        if (lost) throw new NotificationsLostError();
        if (signal.aborted || stop.signal.aborted) return;
        throw err;
      } finally {
        cleanup();
      }
    },
  };
}
