import { hostname } from 'node:os';
import {
  envClientTls,
  envHostPort,
  envInt,
  envOptional,
  envString,
  type ClientTlsFiles,
  envMetricsListen,
  envRunnerPools,
  METRICS_DEFAULTS,
  RUNNER_DEFAULTS,
  type MetricsListen,
} from '@checkwire/config';

export interface RunnerConfig {
  /** SCORING_ADDRESS @default 127.0.0.1:50051 */
  readonly scoringAddress: string;
  /** SCHEDULER_ADDRESS @default 127.0.0.1:50053 */
  readonly schedulerAddress: string;
  /** CHECKWIRE_TOKEN: a check_runner token. */
  readonly token: string | undefined;
  /** RUNNER_ID @default host name and pid */
  readonly runnerId: string;
  /** RUNNER_CONCURRENCY: checks in flight. @default 64 */
  readonly concurrency: number;
  /**
   * RUNNER_POOLS: the runner pools it serves, separated by commas ("default": services without
   * a pool). @default default
   */
  readonly pools: readonly string[];
  /** RUNNER_CHECK_TIMEOUT_MS: each check's limit. @default 5000 */
  readonly checkTimeoutMs: number;
  /** CHECKWIRE_TLS_CA_FILE (+ _CERT_FILE, _KEY_FILE): TLS towards scoring and the scheduler. */
  readonly clientTls: ClientTlsFiles | undefined;
  /**
   * RUNNER_METRICS_HOST @default 127.0.0.1; RUNNER_METRICS_PORT @default 9467: where Prometheus
   * scrapes `/metrics` ("off": no endpoint, nothing measured; 0: a free port).
   */
  readonly metrics: MetricsListen | undefined;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): RunnerConfig {
  return Object.freeze({
    scoringAddress: envHostPort(env, 'SCORING_ADDRESS', '127.0.0.1:50051'),
    schedulerAddress: envHostPort(env, 'SCHEDULER_ADDRESS', '127.0.0.1:50053'),
    token: envOptional(env, 'CHECKWIRE_TOKEN'),
    runnerId: envString(env, 'RUNNER_ID', `${hostname()}-${process.pid}`),
    concurrency: envInt(env, 'RUNNER_CONCURRENCY', RUNNER_DEFAULTS.concurrency, 1, 10_000),
    pools: envRunnerPools(env, 'RUNNER_POOLS'),
    checkTimeoutMs: envInt(env, 'RUNNER_CHECK_TIMEOUT_MS', RUNNER_DEFAULTS.checkTimeoutMs, 1),
    clientTls: envClientTls(env),
    metrics: envMetricsListen(env, METRICS_DEFAULTS['runner']),
  });
}
