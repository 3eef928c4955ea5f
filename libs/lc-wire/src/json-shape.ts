/**
 * What a JSON value a handler receives may look like: the one source of these limits. The gateway
 * refuses an extension message whose values break them (400, naming the path), and the
 * scheduler's continuation state and org config are held to the same depth.
 */

/** How deep a value may nest: its own object or list is level 1. */
export const MAX_JSON_DEPTH = 16;

/**
 * Keys refused anywhere in a value: a protobuf Struct (and any plain object a handler builds)
 * would turn `__proto__` into a prototype and drop it silently; the other two name a prototype's
 * parts and are refused with it, so a handler never meets them.
 */
export const FORBIDDEN_JSON_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const KEY_CHARS = 40;

/** `path.key`, or `path["odd key"]`, with a long key clipped (the message stays short). */
function child(path: string, key: string): string {
  if (IDENTIFIER.test(key) && key.length <= KEY_CHARS) return `${path}.${key}`;
  const shown = key.length > KEY_CHARS ? `${key.slice(0, KEY_CHARS)}…` : key;
  return `${path}[${JSON.stringify(shown)}]`;
}

/**
 * The first way `value` (parsed JSON, named `path`) breaks the limits above, or undefined. It
 * walks without recursion and stops at the first problem, so a hostile nesting costs at most
 * MAX_JSON_DEPTH levels of work per branch and no stack.
 */
export function jsonShapeProblem(value: unknown, path: string): string | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: v, path: at, depth } = next;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > MAX_JSON_DEPTH) return `${at} nests deeper than ${MAX_JSON_DEPTH} levels`;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        pending.push({ value: v[i] as unknown, path: `${at}[${i}]`, depth: depth + 1 });
      }
      continue;
    }
    for (const [key, item] of Object.entries(v)) {
      const keyPath = child(at, key);
      if (FORBIDDEN_JSON_KEYS.has(key)) {
        return `${keyPath}: the key ${JSON.stringify(key)} is not accepted (it names part of a JavaScript object's prototype)`;
      }
      pending.push({ value: item, path: keyPath, depth: depth + 1 });
    }
  }
  return undefined;
}
