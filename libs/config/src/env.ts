import { ConfigError, quoted } from './config-error.js';

export type Env = Record<string, string | undefined>;

/** What the fix says about the default: `, or unset it for the default 50051`. */
const orDefault = (fallback: string | number | boolean | undefined): string =>
  fallback === undefined ? '' : `, or unset it for the default ${String(fallback)}`;

export function envString(env: Env, name: string, fallback?: string): string {
  const value = env[name];
  if (value !== undefined && value !== '') return value;
  if (fallback !== undefined) return fallback;
  throw new ConfigError(name, 'is not set', 'set it (every variable is in .env.example)');
}

export function envOptional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function envInt(
  env: Env,
  name: string,
  fallback: number,
  min = 0,
  max = 2 ** 31 - 1,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      name,
      `${quoted(raw)} is not an integer ${min}..${max}`,
      `set it to an integer ${min}..${max}${orDefault(fallback)}`,
    );
  }
  return value;
}

/** on/off, true/false, 1/0. */
export function envBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(on|true|1)$/i.test(raw)) return true;
  if (/^(off|false|0)$/i.test(raw)) return false;
  throw new ConfigError(
    name,
    `${quoted(raw)} is not on or off`,
    `set it to on or off${orDefault(fallback ? 'on' : 'off')}`,
  );
}

/** One of `choices` (surrounding spaces ignored). */
export function envOneOf<T extends string>(
  env: Env,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(
    name,
    `${quoted(raw)} is not one of ${choices.join(', ')}`,
    `set it to one of them${orDefault(fallback)}`,
  );
}
