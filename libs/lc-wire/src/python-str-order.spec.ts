import { describe, expect, it } from 'vitest';
import { pythonJsonDumps } from './python-json.js';
import { comparePythonStr } from './python-str-order.js';

// Printed by CPython 3: json.dumps(json.loads(BODY), sort_keys=True). A valid \uXXXX pair decodes
// to one astral character (in both languages); a lone surrogate stays a code point of its own.
const BODY =
  '{"\\ue000": 0, "\\ud83d\\ude00": 1, "\\ud800": 2, "\\udc00": 3, "\\uffff": 4, "a": 5, ' +
  '"\\ud83d": 6, "\\ud83dA": 7, "\\ud83d\\ue000": 8, "\\ud83d\\udbff": 9, "\\udbff\\udfff": 10, ' +
  '"\\ud7ff": 11, "z\\ud83d\\ude00": 12, "z\\uffff": 13, "z\\ud83d": 14, ' +
  '"\\ud83d\\ud83d\\ude00": 15, "\\ud83d\\ud83d": 16, "\\ude00": 17, "\\ud83d\\ude01": 18, ' +
  '"\\ud83d\\ude00a": 19, "\\ufb01": 20}';
const PYTHON =
  '{"a": 5, "z\\ud83d": 14, "z\\uffff": 13, "z\\ud83d\\ude00": 12, "\\ud7ff": 11, "\\ud800": 2, ' +
  '"\\ud83d": 6, "\\ud83dA": 7, "\\ud83d\\ud83d": 16, "\\ud83d\\udbff": 9, "\\ud83d\\ue000": 8, ' +
  '"\\ud83d\\ud83d\\ude00": 15, "\\udc00": 3, "\\ude00": 17, "\\ue000": 0, "\\ufb01": 20, ' +
  '"\\uffff": 4, "\\ud83d\\ude00": 1, "\\ud83d\\ude00a": 19, "\\ud83d\\ude01": 18, ' +
  '"\\udbff\\udfff": 10}';

/** Code-point order by copying into code points (as the comparator did before): the reference. */
function byCodePoints(a: string, b: string): number {
  const ca = [...a].map((c) => c.codePointAt(0)!);
  const cb = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
  }
  return ca.length - cb.length;
}

/** A string that counts the characters read from it (every way but indexing). */
class CountingString extends String {
  reads = 0;
  override charCodeAt(i: number): number {
    this.reads++;
    return super.charCodeAt(i);
  }
  override codePointAt(i: number): number | undefined {
    this.reads++;
    return super.codePointAt(i);
  }
  override charAt(i: number): string {
    this.reads++;
    return super.charAt(i);
  }
  override *[Symbol.iterator](): StringIterator<string> {
    for (const c of this.valueOf()) {
      this.reads++;
      yield c;
    }
    return undefined;
  }
}

describe('comparePythonStr', () => {
  it("sorts keys as CPython's json.dumps(sort_keys=True), surrogates and U+E000.. included", () => {
    expect(pythonJsonDumps(JSON.parse(BODY), { sortKeys: true })).toBe(PYTHON);
  });

  it('agrees with a code-point comparison on strings of the units where UTF-16 order differs', () => {
    const units = [0x41, 0xd7ff, 0xd800, 0xd83d, 0xdbff, 0xdc00, 0xde00, 0xdfff, 0xe000, 0xffff];
    let seed = 1;
    const next = () => (seed = (seed * 48271) % 2147483647);
    const word = () =>
      String.fromCharCode(
        ...Array.from({ length: next() % 5 }, () => units[next() % units.length]!),
      );
    for (let n = 0; n < 20_000; n++) {
      const a = word();
      const b = next() % 3 === 0 ? a + word() : word();
      expect([a, b, Math.sign(comparePythonStr(a, b))]).toEqual([
        a,
        b,
        Math.sign(byCodePoints(a, b)),
      ]);
    }
  });

  it('reads two keys only up to their first difference, without copying them', () => {
    const prefix = 'k'.repeat(1000);
    const a = new CountingString(prefix + 'a' + 'x'.repeat(100_000));
    const b = new CountingString(prefix + 'b' + 'y'.repeat(100_000));
    expect(comparePythonStr(a as unknown as string, b as unknown as string)).toBeLessThan(0);
    // The common prefix and the unit that differs, then that unit and its two neighbours again.
    expect(a.reads).toBeLessThanOrEqual(1001 + 3);
    expect(b.reads).toBeLessThanOrEqual(1001 + 3);
  });

  it('sorts 2,000 keys of 2,000 characters with a few reads per comparison', () => {
    const keys = Array.from(
      { length: 2000 },
      (_, i) => new CountingString(String.fromCharCode(0x100 + i) + 'x'.repeat(1999)),
    );
    let comparisons = 0;
    keys.reverse().sort((a, b) => {
      comparisons++;
      return comparePythonStr(a as unknown as string, b as unknown as string);
    });
    const reads = keys.reduce((sum, k) => sum + k.reads, 0);
    expect(reads).toBeLessThanOrEqual(comparisons * 2 * 3);
  });
});
