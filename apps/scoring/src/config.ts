import {
  envBool,
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

const LISTEN = LISTEN_DEFAULTS['scoring'];

export interface ScoringConfig {
  /** DATABASE_URL: PostgreSQL connection string (npm start provides the embedded one). */
  readonly databaseUrl: string;
  /** SCORING_HOST @default 127.0.0.1 */
  readonly host: string;
  /** SCORING_PORT @default 50051 */
  readonly port: number;
  /** SCORING_DB_POOL_SIZE @default 10 */
  readonly dbPoolSize: number;
  /**
   * SCORING_SYNCHRONOUS_COMMIT: "off" lets commits return before their WAL is flushed (a
   * database crash may lose the last moments of scores). @default on
   */
  readonly synchronousCommit: boolean;
  /** CHECK_RUN_TIMEOUT_MS: a run open this long is closed as abandoned. @default 600000 */
  readonly checkRunTimeoutMs: number;
  /** CHECK_RUN_SWEEP_INTERVAL_MS: how often to look for abandoned runs. @default 30000 */
  readonly sweepIntervalMs: number;
  /** SHUTDOWN_GRACE_MS: how long running calls may finish on SIGTERM. @default 5000 */
  readonly shutdownGraceMs: number;
  /**
   * SCORING_BOOTSTRAP_ADMIN_TOKEN: on a database without tokens, mint an admin token and print
   * it once. @default on
   */
  readonly bootstrapAdminToken: boolean;
  /** TOKEN_CACHE_TTL_MS: how long a verified token is trusted without a lookup. @default 5000 */
  readonly tokenCacheTtlMs: number;
  /** SCORING_MAX_MESSAGE_BYTES: larger requests get RESOURCE_EXHAUSTED. @default 4194304 */
  readonly maxReceiveMessageBytes: number;
  /** SCORING_TLS_CERT_FILE, SCORING_TLS_KEY_FILE (+ SCORING_TLS_CLIENT_CA_FILE for mTLS). */
  readonly tls: TlsFiles | undefined;
  /**
   * SCORING_METRICS_HOST @default 127.0.0.1; SCORING_METRICS_PORT @default 9464: where Prometheus
   * scrapes `/metrics` ("off": no endpoint, nothing measured; 0: a free port).
   */
  readonly metrics: MetricsListen | undefined;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): ScoringConfig {
  return Object.freeze({
    databaseUrl: envPostgresUrl(env, 'DATABASE_URL'),
    host: envListenHost(env, LISTEN.hostVar, DEFAULT_LISTEN_HOST),
    port: envInt(env, LISTEN.portVar, LISTEN.port, 0, 65535),
    dbPoolSize: envInt(env, 'SCORING_DB_POOL_SIZE', 10, 1, 1000),
    synchronousCommit: envBool(env, 'SCORING_SYNCHRONOUS_COMMIT', true),
    checkRunTimeoutMs: envInt(env, 'CHECK_RUN_TIMEOUT_MS', 600_000, 1),
    sweepIntervalMs: envInt(env, 'CHECK_RUN_SWEEP_INTERVAL_MS', 30_000, 10),
    shutdownGraceMs: envInt(env, 'SHUTDOWN_GRACE_MS', 5000),
    bootstrapAdminToken: envBool(env, 'SCORING_BOOTSTRAP_ADMIN_TOKEN', true),
    tokenCacheTtlMs: envInt(env, 'TOKEN_CACHE_TTL_MS', 5000),
    maxReceiveMessageBytes: envInt(env, 'SCORING_MAX_MESSAGE_BYTES', 4 * 1024 * 1024, 1024),
    tls: envTls(env, 'SCORING'),
    metrics: envMetricsListen(env, METRICS_DEFAULTS['scoring']),
  });
}
