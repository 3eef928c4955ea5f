export {
  counter,
  histogram,
  metricsRecording,
  observableGauge,
  upDownCounter,
} from './instruments.js';
export { startMetrics } from './metrics-endpoint.js';
export type { MetricsEndpoint, MetricsOptions } from './metrics-endpoint.js';
export { SECONDS_BUCKETS_FAST, SECONDS_BUCKETS_SLOW } from './buckets.js';
export { observeQueue } from './queue-metrics.js';
export type { QueueStats } from './queue-metrics.js';
