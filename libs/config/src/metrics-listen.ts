import { ConfigError, quoted } from './config-error.js';
import type { Env } from './env.js';
import { envListenHost } from './host-port.js';
import { DEFAULT_LISTEN_HOST } from './listen-defaults.js';

/** Where an app serves its Prometheus `/metrics`, and the variables that said so. */
export interface MetricsListen {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** e.g. SCORING_METRICS_HOST, named by a refusal (an address not of this machine). */
  readonly hostVar: string;
  /** e.g. SCORING_METRICS_PORT, named by a refusal (a port in use). */
  readonly portVar: string;
}

/** The variables of one app's endpoint and its default port (an entry of METRICS_DEFAULTS). */
export interface MetricsDefault {
  readonly hostVar: string;
  readonly portVar: string;
  readonly port: number;
}

/**
 * `<APP>_METRICS_HOST` and `<APP>_METRICS_PORT`: a port 0..65535 (0 picks a free one), or `off`
 * for no endpoint at all (undefined: nothing is served and no measurement is kept). The host
 * defaults to 127.0.0.1 like every listening address; Prometheus on another machine (a pod's
 * scraper) needs 0.0.0.0.
 */
export function envMetricsListen(env: Env, d: MetricsDefault): MetricsListen | undefined {
  const raw = env[d.portVar]?.trim();
  let port = d.port;
  if (raw !== undefined && raw !== '') {
    if (/^off$/i.test(raw)) return undefined;
    port = Number(raw);
    if (!/^\d+$/.test(raw) || port > 65535) {
      throw new ConfigError(
        d.portVar,
        `${quoted(raw)} is not a port 0..65535 or off`,
        `set it to a port (0 picks a free one) or off (no metrics endpoint), or unset it for the default ${d.port}`,
      );
    }
  }
  return Object.freeze({
    host: envListenHost(env, d.hostVar, DEFAULT_LISTEN_HOST),
    port,
    hostVar: d.hostVar,
    portVar: d.portVar,
  });
}
