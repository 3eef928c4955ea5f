import {
  ConfigError,
  envClientTls,
  envHostPort,
  envInt,
  envJsonList,
  envListenHost,
  envOptional,
  envPostgresUrl,
  envTls,
  type ClientTlsFiles,
  type JsonListOptions,
  type TlsFiles,
  DEFAULT_LISTEN_HOST,
  LISTEN_DEFAULTS,
  envMetricsListen,
  METRICS_DEFAULTS,
  type MetricsListen,
} from '@checkwire/config';
import { envLcApiOptions, type LcApiClientOptions } from '@checkwire/lc-api';
import { extensionRegistryName } from '@checkwire/lc-wire';

const LISTEN = LISTEN_DEFAULTS['scheduler'];

/** Below this, runners' claims (every few seconds when busy) could not keep a pool live. */
const MIN_LIVENESS_MS = 5000;

/** SCHEDULER_RUNNER_LIVENESS_MS: 0 (off) or at least MIN_LIVENESS_MS. */
function runnerLiveness(env: Record<string, string | undefined>): number {
  const ms = envInt(env, 'SCHEDULER_RUNNER_LIVENESS_MS', 30_000, 0, 24 * 3_600_000);
  if (ms > 0 && ms < MIN_LIVENESS_MS) {
    throw new ConfigError(
      'SCHEDULER_RUNNER_LIVENESS_MS',
      `${ms} ms is too short to tell a busy runner from a missing one`,
      `set it to 0 (off) or ${MIN_LIVENESS_MS}..86400000 milliseconds, or unset it for the default 30000`,
    );
  }
  return ms;
}

/** The shortest and longest SCHEDULER_CONTINUATION_UNANSWERED_MS: a minute, 30 days. */
const UNANSWERED_RANGE = Object.freeze({ min: 60_000, max: 30 * 24 * 3_600_000 });

/**
 * SCHEDULER_CONTINUATION_UNANSWERED_MS, or undefined for the lib's default
 * (CONTINUATION_DELIVERY_DEFAULTS.unansweredBudgetMs, a day), which is not read here: this file
 * loads before telemetry, and @checkwire/scheduler loads gRPC and PostgreSQL.
 */
function unansweredBudget(env: Record<string, string | undefined>): number | undefined {
  const raw = envOptional(env, 'SCHEDULER_CONTINUATION_UNANSWERED_MS');
  if (raw === undefined) return undefined;
  const ms = Number(raw);
  const { min, max } = UNANSWERED_RANGE;
  if (!Number.isSafeInteger(ms) || ms < min || ms > max) {
    throw new ConfigError(
      'SCHEDULER_CONTINUATION_UNANSWERED_MS',
      `${JSON.stringify(raw)} is not an integer ${min}..${max}`,
      `set it to milliseconds ${min}..${max} (a minute to 30 days), or unset it for the default (a day)`,
    );
  }
  return ms;
}

/** What the LC gateway records extensions' orgs under: no periodic callbacks go there. */
const EXTENSION_NAMES = extensionRegistryName('');

/** SCHEDULER_LC_HANDLERS, refusing a name the registry keeps for extensions (`ext/…`). */
function lcHandlers(env: Record<string, string | undefined>): SchedulerConfig['lcHandlers'] {
  const list = envJsonList(env, 'SCHEDULER_LC_HANDLERS', LC_HANDLERS);
  list.forEach((h, i) => {
    if (!h.name.startsWith(EXTENSION_NAMES)) return;
    throw new ConfigError(
      'SCHEDULER_LC_HANDLERS',
      `[${i}].name: ${JSON.stringify(h.name)} starts with "${EXTENSION_NAMES}", which the LC registry keeps for extensions (the gateway records an extension's orgs under ${extensionRegistryName('<extension name>')}), so no periodic callback may go to it`,
      `name the handler as its gateway route (LC_GATEWAY_ROUTES), which may not start with "${EXTENSION_NAMES}" either; an extension's continuations are configured in SCHEDULER_LC_EXTENSIONS`,
    );
  });
  return list;
}

export interface SchedulerConfig {
  /** DATABASE_URL */
  readonly databaseUrl: string;
  /** SCHEDULER_HOST @default 127.0.0.1 */
  readonly host: string;
  /** SCHEDULER_PORT @default 50053 */
  readonly port: number;
  /**
   * SCHEDULER_LC_HANDLERS: JSON list of {"name", "handler", "token"?, "secret"?} that get periodic
   * callbacks (token: the handler's LC_HANDLER_TOKEN, sent as a bearer token; secret: the
   * gateway route's, which an interactive handler's sensor tasks need for their investigation
   * ids).
   */
  readonly lcHandlers: { name: string; handler: string; token?: string; secret?: string }[];
  /**
   * SCHEDULER_LC_EXTENSIONS: JSON list of {"name", "handler", "token"?}: the LC extensions whose
   * continuations this scheduler delivers (LcExtensionService). @default []
   */
  readonly lcExtensions: { name: string; handler: string; token?: string }[];
  /**
   * LC_API_URL: LimaCharlie's REST API, for interactive handlers' D&R rule and sensor tasks
   * @default https://api.limacharlie.io (LC_API_DEFAULTS.baseUrl of @checkwire/lc-api)
   */
  readonly lcApi: Readonly<LcApiClientOptions>;
  /** SCORING_ADDRESS @default 127.0.0.1:50051 */
  readonly scoringAddress: string;
  /** JOBS_ADDRESS @default 127.0.0.1:50052 */
  readonly jobsAddress: string;
  /** CHECKWIRE_TOKEN: a scheduler token (lists services, records give-ups, stores jobs). */
  readonly token: string | undefined;
  /** SCHEDULER_ROUND_INTERVAL_MS @default 60000 (0: no check rounds) */
  readonly roundIntervalMs: number;
  /** SCHEDULER_ROUND_JITTER_MS @default 0 */
  readonly roundJitterMs: number;
  /** SCHEDULER_CHECK_MAX_ATTEMPTS @default 3 */
  readonly checkMaxAttempts: number;
  /** SCHEDULER_TICK_INTERVAL_MS @default 1000 */
  readonly tickIntervalMs: number;
  /**
   * SCHEDULER_CONTINUATION_UNANSWERED_MS: how long an extension may leave continuations
   * unanswered (unreachable, out of time) before they are given up; undefined: the lib's
   * default, CONTINUATION_DELIVERY_DEFAULTS.unansweredBudgetMs (a day).
   */
  readonly continuationUnansweredMs: number | undefined;
  /** SCHEDULER_DELIVERY_CONCURRENCY: handler calls in flight. @default 128 */
  readonly deliveryConcurrency: number;
  /**
   * SCHEDULER_RUNNER_LIVENESS_MS: a check of a pool no runner has claimed from for this long (or
   * twice the check time limit) is scored 0 with kind no_runner (0: left waiting). @default 30000
   */
  readonly runnerLivenessMs: number;
  /** SCHEDULER_RETENTION_DAYS: finished queue rows kept this long (0: forever). @default 7 */
  readonly retentionMs: number;
  /** SCHEDULER_TLS_CERT_FILE, SCHEDULER_TLS_KEY_FILE (+ _CLIENT_CA_FILE). */
  readonly tls: TlsFiles | undefined;
  /** CHECKWIRE_TLS_CA_FILE (+ _CERT_FILE, _KEY_FILE): TLS towards scoring, jobs, handlers. */
  readonly clientTls: ClientTlsFiles | undefined;
  /**
   * SCHEDULER_METRICS_HOST @default 127.0.0.1; SCHEDULER_METRICS_PORT @default 9466: where Prometheus
   * scrapes `/metrics` ("off": no endpoint, nothing measured; 0: a free port).
   */
  readonly metrics: MetricsListen | undefined;
}

type LcHandler = SchedulerConfig['lcHandlers'][number];

const LC_HANDLERS: JsonListOptions<LcHandler> = {
  entryShape: '{"name", "handler": "host:port", "token"?, "secret"?}',
  uniqueField: 'name',
  entry: (e) => {
    const token = e.optionalString('token');
    const secret = e.optionalString('secret');
    return {
      name: e.string('name'),
      handler: e.hostPort('handler', '127.0.0.1:50061'),
      ...(token === undefined ? {} : { token }),
      ...(secret === undefined ? {} : { secret }),
    };
  },
};

type LcExtension = SchedulerConfig['lcExtensions'][number];

const LC_EXTENSIONS: JsonListOptions<LcExtension> = {
  entryShape: '{"name", "handler": "host:port", "token"?}',
  uniqueField: 'name',
  entry: (e) => {
    const token = e.optionalString('token');
    return {
      name: e.string('name'),
      handler: e.hostPort('handler', '127.0.0.1:50061'),
      ...(token === undefined ? {} : { token }),
    };
  },
};

export function loadConfig(env: Record<string, string | undefined> = process.env): SchedulerConfig {
  return Object.freeze({
    databaseUrl: envPostgresUrl(env, 'DATABASE_URL'),
    host: envListenHost(env, LISTEN.hostVar, DEFAULT_LISTEN_HOST),
    port: envInt(env, LISTEN.portVar, LISTEN.port, 0, 65535),
    lcHandlers: lcHandlers(env),
    lcExtensions: envJsonList(env, 'SCHEDULER_LC_EXTENSIONS', LC_EXTENSIONS),
    continuationUnansweredMs: unansweredBudget(env),
    lcApi: envLcApiOptions(env),
    scoringAddress: envHostPort(env, 'SCORING_ADDRESS', '127.0.0.1:50051'),
    jobsAddress: envHostPort(env, 'JOBS_ADDRESS', '127.0.0.1:50052'),
    token: envOptional(env, 'CHECKWIRE_TOKEN'),
    // At most 30 days, the longest cadence: retention keeps firings that long (and a day more).
    roundIntervalMs: envInt(env, 'SCHEDULER_ROUND_INTERVAL_MS', 60_000, 0, 30 * 24 * 3_600_000),
    roundJitterMs: envInt(env, 'SCHEDULER_ROUND_JITTER_MS', 0),
    checkMaxAttempts: envInt(env, 'SCHEDULER_CHECK_MAX_ATTEMPTS', 3, 1, 100),
    tickIntervalMs: envInt(env, 'SCHEDULER_TICK_INTERVAL_MS', 1000, 10),
    deliveryConcurrency: envInt(env, 'SCHEDULER_DELIVERY_CONCURRENCY', 128, 1, 10_000),
    runnerLivenessMs: runnerLiveness(env),
    retentionMs: envInt(env, 'SCHEDULER_RETENTION_DAYS', 7, 0, 36_500) * 24 * 3_600_000,
    tls: envTls(env, 'SCHEDULER'),
    clientTls: envClientTls(env),
    metrics: envMetricsListen(env, METRICS_DEFAULTS['scheduler']),
  });
}
