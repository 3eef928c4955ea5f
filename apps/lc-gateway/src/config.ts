import {
  ConfigError,
  envClientTls,
  envInt,
  envOptional,
  envString,
  type ClientTlsFiles,
} from '@checkwire/config';
import type { RouteConfig } from '@checkwire/lc-gateway';

export interface GatewayConfig {
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
  /** JOBS_ADDRESS @default 127.0.0.1:50052 */
  readonly jobsAddress: string;
  /** CHECKWIRE_TOKEN: a check_runner token for the Jobs service and the scheduler. */
  readonly token: string | undefined;
  /** SCHEDULER_ADDRESS: told of installs and sensors (unset: not recorded). */
  readonly schedulerAddress: string | undefined;
  /** CHECKWIRE_TLS_CA_FILE (+ _CERT_FILE, _KEY_FILE): TLS towards jobs, scheduler, handlers. */
  readonly clientTls: ClientTlsFiles | undefined;
  /** LC_GATEWAY_MAX_BODY_BYTES @default 52428800 (50 MiB, as lcservice) */
  readonly maxBodyBytes: number;
  /** LC_GATEWAY_DEFAULT_DEADLINE_MS: a handler's time when a callback names none. @default 60000 */
  readonly defaultDeadlineMs: number;
}

function parseRoutes(raw: string): RouteConfig[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new ConfigError('LC_GATEWAY_ROUTES', `is not JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new ConfigError('LC_GATEWAY_ROUTES', 'must be a non-empty JSON list');
  }
  return parsed.map((r: unknown, i) => {
    const route = r as Partial<Record<keyof RouteConfig, unknown>>;
    for (const key of ['name', 'secret', 'handler'] as const) {
      if (typeof route[key] !== 'string' || route[key] === '') {
        throw new ConfigError('LC_GATEWAY_ROUTES', `[${i}].${key} must be a non-empty string`);
      }
    }
    if (route.token !== undefined && (typeof route.token !== 'string' || route.token === '')) {
      throw new ConfigError('LC_GATEWAY_ROUTES', `[${i}].token must be a non-empty string`);
    }
    return {
      name: route.name,
      secret: route.secret,
      handler: route.handler,
      ...(route.token === undefined ? {} : { token: route.token }),
    } as RouteConfig;
  });
}

export function loadConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  return Object.freeze({
    host: envString(env, 'LC_GATEWAY_HOST', '127.0.0.1'),
    port: envInt(env, 'LC_GATEWAY_PORT', 8080, 0, 65535),
    routes: parseRoutes(envString(env, 'LC_GATEWAY_ROUTES')),
    jobsAddress: envString(env, 'JOBS_ADDRESS', '127.0.0.1:50052'),
    token: envOptional(env, 'CHECKWIRE_TOKEN'),
    schedulerAddress: envOptional(env, 'SCHEDULER_ADDRESS'),
    clientTls: envClientTls(env),
    maxBodyBytes: envInt(env, 'LC_GATEWAY_MAX_BODY_BYTES', 50 * 1024 * 1024, 1024),
    defaultDeadlineMs: envInt(env, 'LC_GATEWAY_DEFAULT_DEADLINE_MS', 60_000, 1),
  });
}
