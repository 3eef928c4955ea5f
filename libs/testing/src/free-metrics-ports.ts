import { METRICS_DEFAULTS } from '@checkwire/config';

/**
 * Every app's `<APP>_METRICS_PORT` set to 0 (a free port): for the environment of apps a test or
 * tool starts, so they never take a running `npm start`'s metrics ports, nor each other's (two
 * replicas of one app).
 */
export const FREE_METRICS_PORTS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.values(METRICS_DEFAULTS).map((d) => [d.portVar, '0'])),
);
