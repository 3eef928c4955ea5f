import { ConfigError } from './config-error.js';
import type { Env } from './env.js';
import { JsonEntry, jsonKind, JsonProblem } from './json-entry.js';

export interface JsonListOptions<T> {
  /** One entry's shape, for the fix, e.g. `{"name", "handler": "host:port", "token"?}`. */
  entryShape: string;
  /** Unset or empty is refused. @default false (unset is an empty list) */
  required?: boolean;
  /** A string field that must differ between entries, e.g. `name`. */
  uniqueField?: keyof T & string;
  /** Reads one entry; its refusals name their path (see JsonEntry). */
  entry: (entry: JsonEntry) => T;
}

/** Where JSON.parse stopped, without the text around it (it may hold a secret). */
function jsonSyntaxProblem(err: unknown): string {
  const position = /at position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
  return position === undefined ? 'is not JSON' : `is not JSON (error at position ${position})`;
}

function readList<T>(raw: string, options: JsonListOptions<T>): T[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new JsonProblem('', jsonSyntaxProblem(err), '');
  }
  if (!Array.isArray(parsed))
    throw new JsonProblem('', `is ${jsonKind(parsed)}, not a JSON list`, '');
  if (parsed.length === 0 && options.required === true) {
    throw new JsonProblem('', 'is an empty list', '');
  }
  const seen = new Map<string, string>();
  return parsed.map((value: unknown, i) => {
    const path = `[${i}]`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new JsonProblem(
        path,
        `is ${jsonKind(value)}, not an object`,
        `make each entry an object ${options.entryShape}`,
      );
    }
    const item = options.entry(new JsonEntry(path, value as Record<string, unknown>));
    const field = options.uniqueField;
    if (field !== undefined) {
      const key = String(item[field]);
      const first = seen.get(key);
      if (first !== undefined) {
        throw new JsonProblem(
          `${path}.${field}`,
          `${JSON.stringify(key)} is also ${first}.${field}`,
          `give each entry its own ${field}`,
        );
      }
      seen.set(key, path);
    }
    return item;
  });
}

/**
 * A JSON list of objects, e.g. LC_GATEWAY_ROUTES. A refusal names the JSON path of the problem:
 * `LC_GATEWAY_ROUTES: [1].handler: "nohostport" is not host:port; write it as host:port, …`.
 */
export function envJsonList<T>(env: Env, name: string, options: JsonListOptions<T>): T[] {
  const listFix = `set it to a JSON list of ${options.entryShape}`;
  const raw = env[name];
  if (raw === undefined || raw === '') {
    if (options.required === true) throw new ConfigError(name, 'is not set', listFix);
    return [];
  }
  try {
    return readList(raw, options);
  } catch (err) {
    if (!(err instanceof JsonProblem)) throw err;
    const problem = err.path === '' ? err.problem : `${err.path}: ${err.problem}`;
    throw new ConfigError(name, problem, err.fix === '' ? listFix : err.fix);
  }
}
