/**
 * Histogram bucket bounds in seconds (OpenTelemetry's default bounds, 0 to 10,000, are meant for
 * milliseconds). FAST: calls that take a fraction of a millisecond to a few seconds (an RPC on
 * this network); SLOW: work that waits on the outside world (a check, a handler's callback).
 */
export const SECONDS_BUCKETS_FAST: readonly number[] = Object.freeze([
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

export const SECONDS_BUCKETS_SLOW: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300,
]);
