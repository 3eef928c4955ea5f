import {
  ConfigError,
  envClientTls,
  envHostPort,
  envInt,
  envJsonList,
  envListenHost,
  envOptional,
  envOptionalHostPort,
  type ClientTlsFiles,
  type JsonListOptions,
  DEFAULT_LISTEN_HOST,
  LISTEN_DEFAULTS,
  envMetricsListen,
  METRICS_DEFAULTS,
  type MetricsListen,
} from '@checkwire/config';
import { envLcApiOptions, type LcApiClientOptions } from '@checkwire/lc-api';
import type { ExtensionConfig, RouteConfig } from '@checkwire/lc-gateway';
// The limits' defaults come from lc-wire, which loads nothing else: the gateway itself is imported
// only after telemetry has started (main.ts).
import {
  CALLBACK_LIMITS,
  EXTENSION_REGISTRY_PREFIX,
  type CallbackLimits,
} from '@checkwire/lc-wire';

const LISTEN = LISTEN_DEFAULTS['lc-gateway'];

/**
 * Every limit is an LC_GATEWAY_* variable; defaults are CALLBACK_LIMITS (what each limit does:
 * libs/lc-gateway's README, "What the gateway defends against").
 */
export interface GatewayConfig extends Readonly<CallbackLimits> {
  /** LC_GATEWAY_HOST @default 127.0.0.1 */
  readonly host: string;
  /** LC_GATEWAY_PORT @default 8080 */
  readonly port: number;
  /**
   * LC_GATEWAY_ROUTES: JSON list of {"name", "secret", "handler", "token"?} (handler = host:port
   * of its LcHandlerService; token = the handler's LC_HANDLER_TOKEN, sent as a bearer token).
   * LimaCharlie calls POST /<name> (or / when the secret tells the route).
   */
  readonly routes: RouteConfig[];
  /**
   * LC_GATEWAY_EXTENSIONS: JSON list of {"name", "secret", "handler", "token"?} (handler = host:port
   * of its LcExtensionService). LimaCharlie calls POST /ext/<name>, signed with `secret`. Either
   * list may be empty, not both.
   */
  readonly extensions: ExtensionConfig[];
  /** JOBS_ADDRESS @default 127.0.0.1:50052 */
  readonly jobsAddress: string;
  /** CHECKWIRE_TOKEN: a check_runner token for the Jobs service and the scheduler. */
  readonly token: string | undefined;
  /**
   * SCHEDULER_ADDRESS: told of installs and sensors (unset: not recorded); stores extensions'
   * continuations (unset: an extension answer holding continuations is a retriable error).
   */
  readonly schedulerAddress: string | undefined;
  /** CHECKWIRE_TLS_CA_FILE (+ _CERT_FILE, _KEY_FILE): TLS towards jobs, scheduler, handlers. */
  readonly clientTls: ClientTlsFiles | undefined;
  /** LC_GATEWAY_DEFAULT_DEADLINE_MS: a handler's time when a callback names none. @default 60000 */
  readonly defaultDeadlineMs: number;
  /**
   * LC_GATEWAY_JOB_LEASE_SECONDS: job changes taken for an answer that is never written (the caller
   * hung up) go out again after this. @default 60
   */
  readonly jobLeaseSeconds: number;
  /**
   * LC_API_URL: LimaCharlie's REST API, for interactive handlers' tasks and D&R rule
   * @default https://api.limacharlie.io (LC_API_DEFAULTS.baseUrl of @checkwire/lc-api)
   */
  readonly lcApi: Readonly<LcApiClientOptions>;
  /**
   * LC_GATEWAY_METRICS_HOST @default 127.0.0.1; LC_GATEWAY_METRICS_PORT @default 9468: where Prometheus
   * scrapes `/metrics` ("off": no endpoint, nothing measured; 0: a free port).
   */
  readonly metrics: MetricsListen | undefined;
}

/**
 * A route and an extension are written the same way: {"name", "secret", "handler", "token"?};
 * only the handler's default port differs (its LcHandlerService's or its LcExtensionService's).
 * A name like `__proto__` or `constructor` is an ordinary name: JSON.parse makes every key an
 * own property, JsonEntry reads own properties only, and routes are kept in a Map.
 */
function handlerEntries(defaultHandler: string): JsonListOptions<RouteConfig & ExtensionConfig> {
  return {
    entryShape: '{"name", "secret", "handler": "host:port", "token"?}',
    uniqueField: 'name',
    entry: (e) => {
      const token = e.optionalString('token');
      return {
        name: e.string('name'),
        secret: e.string('secret'),
        handler: e.hostPort('handler', defaultHandler),
        ...(token === undefined ? {} : { token }),
      };
    },
  };
}

const ROUTES: JsonListOptions<RouteConfig> = handlerEntries('127.0.0.1:50061');
const EXTENSIONS: JsonListOptions<ExtensionConfig> = handlerEntries('127.0.0.1:50071');

/**
 * LC_GATEWAY_ROUTES and LC_GATEWAY_EXTENSIONS: at least one entry between them, and no route
 * named `ext/…` (its path would be an extension's).
 */
function routesAndExtensions(env: Record<string, string | undefined>) {
  const routes = envJsonList(env, 'LC_GATEWAY_ROUTES', ROUTES);
  const extensions = envJsonList(env, 'LC_GATEWAY_EXTENSIONS', EXTENSIONS);
  if (routes.length === 0 && extensions.length === 0) {
    throw new ConfigError(
      'LC_GATEWAY_ROUTES',
      'has no route, and LC_GATEWAY_EXTENSIONS no extension',
      'set one of them to a JSON list of {"name", "secret", "handler": "host:port", "token"?}',
    );
  }
  const clash = routes.findIndex((r) => r.name.startsWith(EXTENSION_REGISTRY_PREFIX));
  if (clash >= 0) {
    throw new ConfigError(
      'LC_GATEWAY_ROUTES',
      `[${clash}].name: ${JSON.stringify(routes[clash]!.name)} would take extension paths (/ext/…)`,
      `give the route a name that does not start with ${EXTENSION_REGISTRY_PREFIX}`,
    );
  }
  return { routes, extensions };
}

export function loadConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const d = CALLBACK_LIMITS;
  const maxBodyBytes = envInt(env, 'LC_GATEWAY_MAX_BODY_BYTES', d.maxBodyBytes, 1024);
  const maxExtensionBodyBytes = envInt(
    env,
    'LC_GATEWAY_MAX_EXTENSION_BODY_BYTES',
    d.maxExtensionBodyBytes,
    1024,
  );
  const requestTimeoutMs = envInt(env, 'LC_GATEWAY_REQUEST_TIMEOUT_MS', d.requestTimeoutMs, 1);
  return Object.freeze({
    host: envListenHost(env, LISTEN.hostVar, DEFAULT_LISTEN_HOST),
    port: envInt(env, LISTEN.portVar, LISTEN.port, 0, 65535),
    ...routesAndExtensions(env),
    jobsAddress: envHostPort(env, 'JOBS_ADDRESS', '127.0.0.1:50052'),
    token: envOptional(env, 'CHECKWIRE_TOKEN'),
    schedulerAddress: envOptionalHostPort(env, 'SCHEDULER_ADDRESS', '127.0.0.1:50053'),
    clientTls: envClientTls(env),
    defaultDeadlineMs: envInt(env, 'LC_GATEWAY_DEFAULT_DEADLINE_MS', 60_000, 1),
    jobLeaseSeconds: envInt(env, 'LC_GATEWAY_JOB_LEASE_SECONDS', 60, 1, 3600),
    lcApi: envLcApiOptions(env),
    maxBodyBytes,
    // At least one whole body, or the largest bodies could never be taken.
    maxBodyBytesInFlight: envInt(
      env,
      'LC_GATEWAY_MAX_BODY_BYTES_IN_FLIGHT',
      Math.max(d.maxBodyBytesInFlight, maxBodyBytes),
      maxBodyBytes,
    ),
    canonicalMaxBodyBytes: envInt(
      env,
      'LC_GATEWAY_CANONICAL_MAX_BODY_BYTES',
      d.canonicalMaxBodyBytes,
      1,
    ),
    maxExtensionBodyBytes,
    // At least two whole bodies: a gzip one is held compressed and inflated.
    maxExtensionBytesInFlight: envInt(
      env,
      'LC_GATEWAY_MAX_EXTENSION_BYTES_IN_FLIGHT',
      Math.max(d.maxExtensionBytesInFlight, 2 * maxExtensionBodyBytes),
      2 * maxExtensionBodyBytes,
    ),
    maxGzipRatio: envInt(env, 'LC_GATEWAY_MAX_GZIP_RATIO', d.maxGzipRatio, 1),
    // Node refuses a headers timeout longer than the request timeout.
    headersTimeoutMs: envInt(
      env,
      'LC_GATEWAY_HEADERS_TIMEOUT_MS',
      Math.min(d.headersTimeoutMs, requestTimeoutMs),
      1,
      requestTimeoutMs,
    ),
    requestTimeoutMs,
    minBodyBytesPerSecond: envInt(
      env,
      'LC_GATEWAY_MIN_BODY_BYTES_PER_SECOND',
      d.minBodyBytesPerSecond,
      1,
    ),
    bodyGraceMs: envInt(env, 'LC_GATEWAY_BODY_GRACE_MS', d.bodyGraceMs, 1),
    maxHeaderBytes: envInt(env, 'LC_GATEWAY_MAX_HEADER_BYTES', d.maxHeaderBytes, 1024),
    maxConnections: envInt(env, 'LC_GATEWAY_MAX_CONNECTIONS', d.maxConnections, 1),
    keepAliveTimeoutMs: envInt(env, 'LC_GATEWAY_KEEP_ALIVE_TIMEOUT_MS', d.keepAliveTimeoutMs, 1),
    metrics: envMetricsListen(env, METRICS_DEFAULTS['lc-gateway']),
  });
}
