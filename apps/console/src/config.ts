import { fileURLToPath } from 'node:url';
import {
  envBool,
  envClientTls,
  envHostPort,
  envListenHost,
  envInt,
  envOptional,
  envString,
  type ClientTlsFiles,
  DEFAULT_LISTEN_HOST,
  LISTEN_DEFAULTS,
  envMetricsListen,
  METRICS_DEFAULTS,
  type MetricsListen,
} from '@checkwire/config';

const LISTEN = LISTEN_DEFAULTS['console'];

export interface ConsoleConfig {
  /** CONSOLE_HOST @default 127.0.0.1 */
  readonly host: string;
  /** CONSOLE_PORT @default 8090 */
  readonly port: number;
  /** SCORING_ADDRESS @default 127.0.0.1:50051 */
  readonly scoringAddress: string;
  /** JOBS_ADDRESS: the Jobs server, for the LimaCharlie jobs pages. @default 127.0.0.1:50052 */
  readonly jobsAddress: string;
  /** CHECKWIRE_TLS_CA_FILE (+ _CERT_FILE, _KEY_FILE): TLS towards the gRPC servers. */
  readonly clientTls: ClientTlsFiles | undefined;
  /** CONSOLE_STATIC_DIR: the built front end. @default dist/apps/console (npm run build) */
  readonly staticDir: string;
  /** JAEGER_URL: Jaeger's UI (e.g. http://127.0.0.1:16686); errors link to their traces. */
  readonly jaegerUrl: string | undefined;
  /** CONSOLE_SECURE_COOKIES: set when browsers reach the console over HTTPS. @default off */
  readonly secureCookies: boolean;
  /**
   * CONSOLE_METRICS_HOST @default 127.0.0.1; CONSOLE_METRICS_PORT @default 9470: where Prometheus
   * scrapes `/metrics` ("off": no endpoint, nothing measured; 0: a free port).
   */
  readonly metrics: MetricsListen | undefined;
}

const BUILT = fileURLToPath(new URL('../../../dist/apps/console', import.meta.url));

export function loadConfig(env: Record<string, string | undefined> = process.env): ConsoleConfig {
  return Object.freeze({
    host: envListenHost(env, LISTEN.hostVar, DEFAULT_LISTEN_HOST),
    port: envInt(env, LISTEN.portVar, LISTEN.port, 0, 65535),
    scoringAddress: envHostPort(
      env,
      'SCORING_ADDRESS',
      `127.0.0.1:${LISTEN_DEFAULTS.scoring.port}`,
    ),
    jobsAddress: envHostPort(env, 'JOBS_ADDRESS', `127.0.0.1:${LISTEN_DEFAULTS.jobs.port}`),
    clientTls: envClientTls(env),
    staticDir: envString(env, 'CONSOLE_STATIC_DIR', BUILT),
    jaegerUrl: envOptional(env, 'JAEGER_URL'),
    secureCookies: envBool(env, 'CONSOLE_SECURE_COOKIES', false),
    metrics: envMetricsListen(env, METRICS_DEFAULTS['console']),
  });
}
