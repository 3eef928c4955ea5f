import type { Attributes, ObservableResult } from '@opentelemetry/api';
import { observableGauge } from './instruments.js';

/** A durable queue's state now, as one query reads it. */
export interface QueueStats {
  /** Due now and held by nobody: waiting for a worker. */
  ready: number;
  /** Held by a worker under a lease. */
  leased: number;
  /** Not due yet (a retry's back-off, a check's offset into its round). */
  scheduled: number;
  /** How long the oldest ready item has been due, in seconds (0 when none is ready). */
  lagSeconds: number;
}

const depth = observableGauge('checkwire.queue.depth', {
  description: 'Items in a queue now, by queue and state (ready, leased, scheduled)',
  unit: '{item}',
});
const lag = observableGauge('checkwire.queue.lag', {
  description: 'How long the oldest ready item of a queue has waited for a worker',
  unit: 's',
});

/**
 * Observes a queue at each scrape: `checkwire.queue.depth` by state and `checkwire.queue.lag`,
 * labelled `checkwire.queue`. `read` runs once per scrape (never while metrics are off); if it
 * fails (the database is away) nothing is observed. Returns the function that stops it (call it
 * when what `read` uses closes). Every replica observes the same queue: aggregate with max().
 */
export function observeQueue(queue: string, read: () => Promise<QueueStats>): () => void {
  const attrs = (state: string): Attributes =>
    Object.freeze({ 'checkwire.queue': queue, 'checkwire.queue.state': state });
  const ready = attrs('ready');
  const leased = attrs('leased');
  const scheduled = attrs('scheduled');
  const queueOnly = Object.freeze({ 'checkwire.queue': queue });
  // A scrape calls every gauge's callbacks at once: the second shares the first's read.
  let reading: Promise<QueueStats | undefined> | undefined;
  const stats = () =>
    (reading ??= read()
      .catch(() => undefined)
      .finally(() => (reading = undefined)));
  const observeDepth = async (r: ObservableResult) => {
    const s = await stats();
    if (s === undefined) return;
    r.observe(s.ready, ready);
    r.observe(s.leased, leased);
    r.observe(s.scheduled, scheduled);
  };
  const observeLag = async (r: ObservableResult) => {
    const s = await stats();
    if (s !== undefined) r.observe(s.lagSeconds, queueOnly);
  };
  depth.addCallback(observeDepth);
  lag.addCallback(observeLag);
  return () => {
    depth.removeCallback(observeDepth);
    lag.removeCallback(observeLag);
  };
}
