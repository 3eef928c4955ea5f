/**
 * Checks a `request`'s data against the parameters its action declares (an lc-extension
 * SchemaObject, as the handler's DescribeExtension gave it) before the handler sees it. The first
 * problem, naming the field by its path (`target.ports[2]`), or undefined. Data the schema does not
 * name passes through (as lcservice's parameter check lets unknown parameters through). The work
 * follows the schema: nested objects are looked into only where the schema declares them.
 */

import { isJsonObject as isObject } from '@checkwire/lc-wire';

type Json = Record<string, unknown>;
const own = (o: Json, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);
const isSet = (v: unknown) => v !== undefined && v !== null;

/** Data types whose values are strings on the wire (lc-extension's SchemaDataTypes). */
const STRING_TYPES: ReadonlySet<string> = new Set([
  'string',
  'secret',
  'sid',
  'oid',
  'platform',
  'architecture',
  'sensor_selector',
  'event_name',
  'tag',
  'url',
  'domain',
  'text',
  'yaml',
  'code',
  'yara_rule',
  'yara_rule_name',
]);
/** Whole numbers: `duration` is milliseconds, `time` milliseconds since the epoch. */
const INTEGER_TYPES: ReadonlySet<string> = new Set(['integer', 'duration', 'time']);

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

const quote = (path: string) => JSON.stringify(path);

/** Longest echo of a value or an enum's values in a refusal. */
const ECHO_CHARS = 200;

/** `value` as JSON for a refusal, clipped: the sender sent it, and it may be megabytes. */
function echo(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > ECHO_CHARS ? `${text.slice(0, ECHO_CHARS)}…` : text;
}

/**
 * An enum's values as a Set, made once per declared list (the declarations are cached, so the
 * same list comes back): a long list of values costs one lookup per value, not one scan each.
 */
const enumSets = new WeakMap<readonly unknown[], ReadonlySet<unknown>>();
function enumSet(values: readonly unknown[]): ReadonlySet<unknown> {
  let set = enumSets.get(values);
  if (set === undefined) {
    set = new Set(values);
    enumSets.set(values, set);
  }
  return set;
}
const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

function checkValue(element: Json, value: unknown, path: string): string | undefined {
  const type = own(element, 'data_type');
  const wrong = (expected: string) =>
    `invalid parameter ${quote(path)}: expected ${expected}, got ${kindOf(value)}`;
  if (typeof type !== 'string') return undefined;
  if (STRING_TYPES.has(type)) return typeof value === 'string' ? undefined : wrong('a string');
  if (INTEGER_TYPES.has(type)) {
    return typeof value === 'number' && Number.isInteger(value) ? undefined : wrong('an integer');
  }
  if (type === 'bool') return typeof value === 'boolean' ? undefined : wrong('a boolean');
  if (type === 'enum') {
    const values = own(element, 'enum_values');
    if (!Array.isArray(values) || enumSet(values).has(value)) return undefined;
    return `invalid parameter ${quote(path)}: ${echo(value)} is not one of ${echo(values)}`;
  }
  const nested = own(element, 'object');
  if (type === 'object') {
    if (!isObject(value)) return wrong('an object');
    return isObject(nested) ? checkObject(nested, value, path) : undefined;
  }
  if (type === 'record') {
    if (!isObject(value)) return wrong('an object');
    if (!isObject(nested)) return undefined;
    for (const [key, entry] of Object.entries(value)) {
      const at = join(path, key);
      if (!isObject(entry))
        return `invalid parameter ${quote(at)}: expected an object, got ${kindOf(entry)}`;
      const problem = checkObject(nested, entry, at);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  // json, complex_enum, and types this gateway does not know: any value.
  return undefined;
}

function checkElement(element: Json, value: unknown, path: string): string | undefined {
  if (own(element, 'is_list') !== true) return checkValue(element, value, path);
  if (!Array.isArray(value)) {
    return `invalid parameter ${quote(path)}: expected a list, got ${kindOf(value)}`;
  }
  for (let i = 0; i < value.length; i++) {
    const problem = checkValue(element, value[i], `${path}[${i}]`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function checkRequirements(schema: Json, data: Json, path: string): string | undefined {
  const fields = own(schema, 'fields');
  const legacy = isObject(fields)
    ? Object.entries(fields)
        .filter(([, e]) => isObject(e) && own(e, 'is_required') === true)
        .map(([name]) => [name])
    : [];
  const requirements = own(schema, 'requirements');
  const sets: unknown[] = [
    ...(Array.isArray(requirements) ? (requirements as unknown[]) : []),
    ...legacy,
  ];
  for (const set of sets) {
    if (!Array.isArray(set) || set.length === 0) continue;
    const names = set.filter((n): n is string => typeof n === 'string');
    const present = names.filter((n) => isSet(own(data, n)));
    const paths = names.map((n) => quote(join(path, n)));
    if (present.length === 0) {
      return paths.length === 1
        ? `missing parameter ${paths[0]}`
        : `missing parameter: one of ${paths.join(', ')} is required`;
    }
    if (present.length > 1) {
      const both = present.map((n) => quote(join(path, n))).join(' and ');
      return `parameters ${both} exclude each other: give only one of ${paths.join(', ')}`;
    }
  }
  return undefined;
}

function checkObject(schema: Json, data: Json, path: string): string | undefined {
  const missing = checkRequirements(schema, data, path);
  if (missing !== undefined) return missing;
  const fields = own(schema, 'fields');
  if (!isObject(fields)) return undefined;
  for (const [name, element] of Object.entries(fields)) {
    const value = own(data, name);
    if (!isSet(value) || !isObject(element)) continue;
    const problem = checkElement(element, value, join(path, name));
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** The first way `data` does not match the action's `parameters`, or undefined. */
export function parameterProblem(parameters: Json | undefined, data: Json): string | undefined {
  return parameters === undefined ? undefined : checkObject(parameters, data, '');
}
