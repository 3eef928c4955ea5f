import type pg from 'pg';
import type { ObservableResult } from '@opentelemetry/api';
import { observableGauge } from '@checkwire/metrics';

// OpenTelemetry's database client semantic conventions: connections by state and pool, requests
// waiting for one, and the pool's limit.
const connections = observableGauge('db.client.connection.count', {
  description: 'Connections of a pool by state: used (lent to a query) or idle',
  unit: '{connection}',
});
const pending = observableGauge('db.client.connection.pending_requests', {
  description: 'Queries waiting for a connection of a pool (it is full)',
  unit: '{request}',
});
const limit = observableGauge('db.client.connection.max', {
  description: 'The most connections a pool opens',
  unit: '{connection}',
});

/**
 * Reports `pool`'s use at each scrape under `name` (its application_name, e.g.
 * checkwire-scoring); returns the function that stops it (when the pool closes).
 */
export function observePool(pool: pg.Pool, name: string, max: number): () => void {
  const ofPool = Object.freeze({ 'db.client.connection.pool.name': name });
  const used = Object.freeze({ ...ofPool, 'db.client.connection.state': 'used' });
  const idle = Object.freeze({ ...ofPool, 'db.client.connection.state': 'idle' });
  const observeConnections = (r: ObservableResult) => {
    r.observe(pool.totalCount - pool.idleCount, used);
    r.observe(pool.idleCount, idle);
  };
  const observePending = (r: ObservableResult) => r.observe(pool.waitingCount, ofPool);
  const observeLimit = (r: ObservableResult) => r.observe(max, ofPool);
  connections.addCallback(observeConnections);
  pending.addCallback(observePending);
  limit.addCallback(observeLimit);
  return () => {
    connections.removeCallback(observeConnections);
    pending.removeCallback(observePending);
    limit.removeCallback(observeLimit);
  };
}
