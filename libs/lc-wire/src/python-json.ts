import { comparePythonStr } from './python-str-order.js';

/**
 * JSON rendered exactly as Python's `json.dumps` renders it (what LimaCharlie signs and what
 * lcservice puts in JSON attachments): `ensure_ascii` (every character outside space..~ escaped as
 * lowercase `\uXXXX`, astral ones as surrogate pairs), separators `", "` / `": "` (or `","` and
 * newlines with `indent`), optional `sort_keys`.
 *
 * Numbers: JavaScript cannot tell `1.0` from `1` once parsed; integral numbers render as Python
 * renders ints, others as Python's repr would for the same double.
 */
export interface PythonJsonOptions {
  sortKeys?: boolean;
  /** Python's indent=N. */
  indent?: number;
}

const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['"', '\\"'],
  ['\\', '\\\\'],
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
  ['\b', '\\b'],
  ['\f', '\\f'],
]);

function pyString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    const escape = ESCAPES.get(ch);
    if (escape !== undefined) out += escape;
    else if (code < 0x20 || code > 0x7e) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  // An integral value is taken to be a Python int (JSON cannot tell, and ints are what LC sends).
  if (Number.isSafeInteger(n)) return n.toFixed(0);
  return pyFloatRepr(n);
}

/** Python's float repr: shortest round-trip digits; exponent form below 1e-4 and from 1e16. */
function pyFloatRepr(n: number): string {
  const [mantissa, exp] = n.toExponential().split('e') as [string, string];
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const e = Number(exp);
  let body: string;
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  } else if (e < 0) {
    body = `0.${'0'.repeat(-e - 1)}${digits}`;
  } else if (digits.length > e + 1) {
    body = `${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
  } else {
    body = `${digits}${'0'.repeat(e + 1 - digits.length)}.0`;
  }
  return (negative ? '-' : '') + body;
}

export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}): string {
  const { sortKeys = false, indent } = options;
  const itemSep = indent === undefined ? ', ' : ',';
  const render = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number') return pyNumber(v);
    if (typeof v === 'string') return pyString(v);
    if (typeof v === 'bigint') return v.toString();
    const open = (o: string, c: string, items: string[]) => {
      if (items.length === 0) return o + c;
      if (indent === undefined) return o + items.join(itemSep) + c;
      const pad = '\n' + ' '.repeat(indent * (depth + 1));
      return o + pad + items.join(itemSep + pad) + '\n' + ' '.repeat(indent * depth) + c;
    };
    if (Array.isArray(v))
      return open(
        '[',
        ']',
        v.map((x) => render(x, depth + 1)),
      );
    if (typeof v === 'object') {
      let keys = Object.keys(v);
      if (sortKeys) keys = keys.sort(comparePythonStr);
      return open(
        '{',
        '}',
        keys.map((k) => `${pyString(k)}: ${render((v as Record<string, unknown>)[k], depth + 1)}`),
      );
    }
    throw new TypeError(`Object of type ${typeof v} is not JSON serializable`);
  };
  return render(value, 0);
}
