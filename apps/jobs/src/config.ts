import {
  envInt,
  envListenHost,
  envPostgresUrl,
  envTls,
  type TlsFiles,
  DEFAULT_LISTEN_HOST,
  LISTEN_DEFAULTS,
  envMetricsListen,
  METRICS_DEFAULTS,
  type MetricsListen,
} from '@checkwire/config';

const LISTEN = LISTEN_DEFAULTS['jobs'];

export interface JobsConfig {
  /** DATABASE_URL: PostgreSQL connection string (npm start provides the embedded one). */
  readonly databaseUrl: string;
  /** JOBS_HOST @default 127.0.0.1 */
  readonly host: string;
  /** JOBS_PORT @default 50052 */
  readonly port: number;
  /** JOBS_DB_POOL_SIZE @default 5 */
  readonly dbPoolSize: number;
  /** SHUTDOWN_GRACE_MS @default 5000 */
  readonly shutdownGraceMs: number;
  /** TOKEN_CACHE_TTL_MS @default 5000 */
  readonly tokenCacheTtlMs: number;
  /** JOBS_TLS_CERT_FILE, JOBS_TLS_KEY_FILE (+ JOBS_TLS_CLIENT_CA_FILE for mTLS). */
  readonly tls: TlsFiles | undefined;
  /**
   * JOBS_METRICS_HOST @default 127.0.0.1; JOBS_METRICS_PORT @default 9465: where Prometheus
   * scrapes `/metrics` ("off": no endpoint, nothing measured; 0: a free port).
   */
  readonly metrics: MetricsListen | undefined;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): JobsConfig {
  return Object.freeze({
    databaseUrl: envPostgresUrl(env, 'DATABASE_URL'),
    host: envListenHost(env, LISTEN.hostVar, DEFAULT_LISTEN_HOST),
    port: envInt(env, LISTEN.portVar, LISTEN.port, 0, 65535),
    dbPoolSize: envInt(env, 'JOBS_DB_POOL_SIZE', 5, 1, 1000),
    shutdownGraceMs: envInt(env, 'SHUTDOWN_GRACE_MS', 5000),
    tokenCacheTtlMs: envInt(env, 'TOKEN_CACHE_TTL_MS', 5000),
    tls: envTls(env, 'JOBS'),
    metrics: envMetricsListen(env, METRICS_DEFAULTS['jobs']),
  });
}
