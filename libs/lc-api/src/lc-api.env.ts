import { ConfigError, envOptional } from '@checkwire/config';
import { addDefaults, LC_API_DEFAULTS, type LcApiClientOptions } from './lc-api.options.js';

/**
 * LC_API_URL (default LC_API_DEFAULTS.baseUrl), checked now: a bad one stops an app's start with a
 * line naming the variable. The gateway and the scheduler both read it.
 */
export function envLcApiOptions(
  env: Record<string, string | undefined>,
): Readonly<LcApiClientOptions> {
  const baseUrl = envOptional(env, 'LC_API_URL') ?? LC_API_DEFAULTS.baseUrl;
  try {
    addDefaults({ baseUrl });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ConfigError(
      'LC_API_URL',
      why,
      `set it to LimaCharlie's API URL, or unset it for ${LC_API_DEFAULTS.baseUrl}`,
    );
  }
  return Object.freeze({ baseUrl });
}
