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
