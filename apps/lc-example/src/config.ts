import {
  envInt,
  envListenHost,
  envOptional,
  DEFAULT_LISTEN_HOST,
  LISTEN_DEFAULTS,
  envMetricsListen,
  METRICS_DEFAULTS,
  type MetricsListen,
} from '@checkwire/config';

const LISTEN = LISTEN_DEFAULTS['lc-example'];

export interface ExampleConfig {
  /** LC_EXAMPLE_HOST @default 127.0.0.1 */
  readonly host: string;
  /** LC_EXAMPLE_PORT @default 50061 */
  readonly port: number;
  /**
   * LC_HANDLER_TOKEN: callers (the gateway, the scheduler) must send `authorization: Bearer
   * <token>`; others get UNAUTHENTICATED. Unset: anyone who reaches the port may call.
   */
  readonly token: string | undefined;
  /**
   * LC_EXAMPLE_METRICS_HOST @default 127.0.0.1; LC_EXAMPLE_METRICS_PORT @default 9469: where Prometheus
   * scrapes `/metrics` ("off": no endpoint, nothing measured; 0: a free port).
   */
  readonly metrics: MetricsListen | undefined;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): ExampleConfig {
  return Object.freeze({
    host: envListenHost(env, LISTEN.hostVar, DEFAULT_LISTEN_HOST),
    port: envInt(env, LISTEN.portVar, LISTEN.port, 0, 65535),
    token: envOptional(env, 'LC_HANDLER_TOKEN'),
    metrics: envMetricsListen(env, METRICS_DEFAULTS['lc-example']),
  });
}
