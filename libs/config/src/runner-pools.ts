import { DEFAULT_RUNNER_POOL, isCheckwireError, runnerPool } from '@checkwire/errors';
import { ConfigError, quoted } from './config-error.js';
import type { Env } from './env.js';

/**
 * The runner pools a runner serves: names separated by commas ("default" is the pool of services
 * without one; '' stands for it in the result). Unset: the default pool only.
 */
export function envRunnerPools(env: Env, name: string): string[] {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return [''];
  const pools = raw.split(',').map((p) => p.trim());
  const refuse = (pool: string) =>
    new ConfigError(
      name,
      `${quoted(pool)} in ${quoted(raw)} is not a pool name`,
      `list pool names (1–64 letters, digits, '.', '_', '-') separated by commas, e.g. team-3,dmz, or unset it for the ${DEFAULT_RUNNER_POOL} pool`,
    );
  const valid = pools.map((pool) => {
    if (pool === '') throw refuse(pool);
    try {
      return runnerPool(name, pool);
    } catch (err) {
      throw isCheckwireError(err) ? refuse(pool) : err;
    }
  });
  return [...new Set(valid)];
}
