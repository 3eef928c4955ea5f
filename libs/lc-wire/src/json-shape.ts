/**
 * What a JSON value a handler receives may look like: the one source of these limits. The gateway
 * refuses an extension message whose values break them (400, naming the path), and the
 * scheduler's continuation state and org config are held to the same depth.
 */

/**
 * How deep a value may nest: its own object or list is level 1. Above real data (a Kubernetes
 * audit event inside a detection is about 14 levels) and within what a handler can decode: the
 * generated gRPC code refuses a message nested past 100 protobuf levels, and each JSON object
 * level is three of them in a Struct (Struct, field entry, Value), so `request.data` nested 34
 * object levels deep would reach the handler as an undecodable, endlessly retried message.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Keys refused anywhere in a value: a protobuf Struct (and any plain object a handler builds)
 * would turn `__proto__` into a prototype and drop it silently. `constructor` and `prototype`
 * survive as plain keys and are accepted.
 */
export const FORBIDDEN_JSON_KEYS: ReadonlySet<string> = new Set(['__proto__']);

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const KEY_CHARS = 40;

/** `.key`, or `["odd key"]`, with a long key clipped (the message stays short). */
function step(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`;
  if (IDENTIFIER.test(key) && key.length <= KEY_CHARS) return `.${key}`;
  const shown = key.length > KEY_CHARS ? `${key.slice(0, KEY_CHARS)}…` : key;
  return `[${JSON.stringify(shown)}]`;
}

/** An object or list still to look at, and how it was reached (its path is built only if needed). */
interface Pending {
  value: object;
  parent: Pending | undefined;
  key: string | number;
  depth: number;
}

/** The path of `node` (or of `key` under it), written only when a problem is reported. */
function pathOf(root: string, node: Pending | undefined, key?: string): string {
  const steps: string[] = key === undefined ? [] : [step(key)];
  for (let at = node; at?.parent !== undefined; at = at.parent) steps.push(step(at.key));
  return root + steps.reverse().join('');
}

/**
 * The first way `value` (parsed JSON, named `path`) breaks the limits above, or undefined. It
 * walks without recursion, holds only objects and lists still to look at (never the numbers or
 * strings in them), and stops at the first problem, so a hostile nesting costs at most
 * MAX_JSON_DEPTH levels of work per branch and no stack.
 */
export function jsonShapeProblem(value: unknown, path: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const pending: Pending[] = [{ value, parent: undefined, key: '', depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: v, depth } = next;
    if (depth > MAX_JSON_DEPTH) {
      return `${pathOf(path, next)} nests deeper than ${MAX_JSON_DEPTH} levels`;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        if (typeof item === 'object' && item !== null) {
          pending.push({ value: item, parent: next, key: i, depth: depth + 1 });
        }
      }
      continue;
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_JSON_KEYS.has(key)) {
        return `${pathOf(path, next, key)}: the key ${JSON.stringify(key)} is not accepted (it names part of a JavaScript object's prototype)`;
      }
      const item: unknown = (v as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) {
        pending.push({ value: item, parent: next, key, depth: depth + 1 });
      }
    }
  }
  return undefined;
}
