/**
 * Python's order of `str` (by code point, as `json.dumps(sort_keys=True)` sorts keys), computed
 * without copying: it walks the UTF-16 units to the first difference, so a comparison reads at
 * most the common prefix and two units more.
 *
 * UTF-16 unit order is code-point order except where a surrogate pair (U+10000 and up) meets a
 * unit of U+E000..U+FFFF: the pair's high unit (D800..DBFF) sorts below it, the character above.
 * Lone surrogates stay single code points in Python (`json.loads('"\\ud800"')`) as in JavaScript,
 * so only a unit that is half of a pair weighs as the astral character it belongs to.
 */
export function comparePythonStr(a: string, b: string): number {
  const common = Math.min(a.length, b.length);
  let i = 0;
  while (i < common && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === common) return a.length - b.length;
  return weightAt(a, i) - weightAt(b, i);
}

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** What unit `i`, the first that differs, weighs in the code-point comparison. */
function weightAt(s: string, i: number): number {
  const unit = s.charCodeAt(i);
  const before = i > 0 ? s.charCodeAt(i - 1) : 0;
  // Both strings share the high half before it: this string holds an astral character there,
  // the other a lone high surrogate (or a pair with a lower low half): this one is greater.
  if (isLow(unit) && isHigh(before)) return 0x110000 + unit;
  const after = s.charCodeAt(i + 1);
  if (isHigh(unit) && isLow(after)) return 0x10000 + ((unit - 0xd800) << 10) + (after - 0xdc00);
  return unit;
}
