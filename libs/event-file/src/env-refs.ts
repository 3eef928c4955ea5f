import type { FilePath } from './event-file.types.js';
import type { Problem } from './event-file-error.js';

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Every string's `${NAME}` replaced by that environment variable (`${NAME:-default}`: the default
 * when it is unset or empty; `$$` writes a `$`), so secrets stay out of the file. An unset variable is a problem at the string's path; its value is never
 * shown anywhere.
 */
export function resolveEnvRefs(
  data: unknown,
  env: Readonly<Record<string, string | undefined>>,
  problems: Problem[],
  path: (string | number)[] = [],
): unknown {
  if (typeof data === 'string') {
    return data.replace(REFERENCE, (whole, name?: string, fallback?: string) => {
      if (name === undefined) return '$';
      const value = fallback !== undefined && !env[name] ? fallback : env[name];
      if (value === undefined) {
        problems.push({
          path: [...path] as FilePath,
          message: `\${${name}} is not set in the environment`,
        });
        return whole;
      }
      return value;
    });
  }
  if (Array.isArray(data))
    return data.map((v, i) => resolveEnvRefs(v, env, problems, [...path, i]));
  if (data !== null && typeof data === 'object') {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(data))
      out[k] = resolveEnvRefs(v, env, problems, [...path, k]);
    return out;
  }
  return data;
}
