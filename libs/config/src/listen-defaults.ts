/**
 * Where each server listens by default: the one source for the apps' config and for `npm start`,
 * which checks every port is free before it starts anything.
 */
export const LISTEN_DEFAULTS = Object.freeze({
  scoring: { hostVar: 'SCORING_HOST', portVar: 'SCORING_PORT', port: 50051 },
  jobs: { hostVar: 'JOBS_HOST', portVar: 'JOBS_PORT', port: 50052 },
  scheduler: { hostVar: 'SCHEDULER_HOST', portVar: 'SCHEDULER_PORT', port: 50053 },
  'lc-example': { hostVar: 'LC_EXAMPLE_HOST', portVar: 'LC_EXAMPLE_PORT', port: 50061 },
  'lc-gateway': { hostVar: 'LC_GATEWAY_HOST', portVar: 'LC_GATEWAY_PORT', port: 8080 },
  console: { hostVar: 'CONSOLE_HOST', portVar: 'CONSOLE_PORT', port: 8090 },
} as const);

/** Every server listens on 127.0.0.1 unless told otherwise. */
export const DEFAULT_LISTEN_HOST = '127.0.0.1';

export type ListeningApp = keyof typeof LISTEN_DEFAULTS;

/**
 * Where each app serves its Prometheus `/metrics` by default (`<APP>_METRICS_PORT`, "off" for
 * none): one port per app, from 9464 (OpenTelemetry's Prometheus port) up, so `npm start` runs
 * them all on one machine. The one source for the apps' config, `npm start`'s port check, the
 * READMEs and `.env.example` (a test holds them to it).
 */
export const METRICS_DEFAULTS = Object.freeze({
  scoring: { hostVar: 'SCORING_METRICS_HOST', portVar: 'SCORING_METRICS_PORT', port: 9464 },
  jobs: { hostVar: 'JOBS_METRICS_HOST', portVar: 'JOBS_METRICS_PORT', port: 9465 },
  scheduler: { hostVar: 'SCHEDULER_METRICS_HOST', portVar: 'SCHEDULER_METRICS_PORT', port: 9466 },
  runner: { hostVar: 'RUNNER_METRICS_HOST', portVar: 'RUNNER_METRICS_PORT', port: 9467 },
  'lc-gateway': {
    hostVar: 'LC_GATEWAY_METRICS_HOST',
    portVar: 'LC_GATEWAY_METRICS_PORT',
    port: 9468,
  },
  'lc-example': {
    hostVar: 'LC_EXAMPLE_METRICS_HOST',
    portVar: 'LC_EXAMPLE_METRICS_PORT',
    port: 9469,
  },
  console: { hostVar: 'CONSOLE_METRICS_HOST', portVar: 'CONSOLE_METRICS_PORT', port: 9470 },
} as const);

export type MeteredApp = keyof typeof METRICS_DEFAULTS;
