import { describe, expect, it } from 'vitest';
import { pythonJsonDumps } from './python-json.js';
import { canonicalBody, sign, startSignature, verifySignature } from './signature.js';

// Expected strings are what CPython 3 prints for the same values.

describe('pythonJsonDumps', () => {
  it('renders like json.dumps(sort_keys=True)', () => {
    expect(
      pythonJsonDumps({ b: [1, 2.5, null], a: { y: true, x: 'é😀\n"' } }, { sortKeys: true }),
    ).toBe('{"a": {"x": "\\u00e9\\ud83d\\ude00\\n\\"", "y": true}, "b": [1, 2.5, null]}');
    expect(pythonJsonDumps({ '\u00e9': 1, z: 2, B: 3 }, { sortKeys: true })).toBe(
      '{"B": 3, "z": 2, "\\u00e9": 1}',
    );
    expect(pythonJsonDumps('\u007f\u0001\t')).toBe('"\\u007f\\u0001\\t"');
  });

  it('renders like json.dumps(indent=2)', () => {
    expect(pythonJsonDumps({ a: [1, { b: [] }], c: {} }, { indent: 2 })).toBe(
      '{\n  "a": [\n    1,\n    {\n      "b": []\n    }\n  ],\n  "c": {}\n}',
    );
  });

  it('renders floats as Python repr does', () => {
    expect(pythonJsonDumps([0.1, 1e-5, 1.5e16, 123.456, -0.0001, 1e22 + 0.5])).toBe(
      '[0.1, 1e-05, 1.5e+16, 123.456, -0.0001, 1e+22]',
    );
  });
});

describe('signatures', () => {
  it('matches the protocol test vector', () => {
    const body = canonicalBody({ etype: 'health', data: {} });
    expect(body).toBe('{"data": {}, "etype": "health"}');
    expect(sign('abc', body)).toBe(
      'c8ef520e8d1047e137696e59d445b6cfd078b6c377d9af9dbf9ee37ccefdacb5',
    );
    expect(sign('abc', '{"data":{},"etype":"health"}')).not.toBe(sign('abc', body));
  });

  it('verifies the raw bytes or their canonical rendering, and nothing else', () => {
    const parsed = { etype: 'health', data: {} };
    const compact = Buffer.from('{"etype":"health","data":{}}');
    expect(verifySignature('abc', compact, parsed, sign('abc', compact))).toBe(true);
    expect(verifySignature('abc', compact, parsed, sign('abc', canonicalBody(parsed)))).toBe(true);
    // lcservice compares the lowercase hexdigest exactly: uppercase hex is not the signature.
    expect(verifySignature('abc', compact, parsed, sign('abc', compact).toUpperCase())).toBe(false);
    expect(
      verifySignature('abc', compact, parsed, sign('abc', canonicalBody(parsed)).toUpperCase()),
    ).toBe(false);
    expect(verifySignature('abd', compact, parsed, sign('abc', compact))).toBe(false);
    expect(verifySignature('abc', compact, parsed, undefined)).toBe(false);
    expect(verifySignature('abc', compact, parsed, 'zz')).toBe(false);
  });

  it('signs a body that arrives in pieces as sign() signs it whole', () => {
    const body = canonicalBody({ etype: 'health', data: { note: 'é'.repeat(1000) } });
    const bytes = Buffer.from(body);
    const streamed = startSignature('abc');
    for (let i = 0; i < bytes.length; i += 100) streamed.update(bytes.subarray(i, i + 100));
    expect(streamed.matches(sign('abc', body))).toBe(true);
    const other = startSignature('abc');
    other.update(bytes.subarray(1));
    expect(other.matches(sign('abc', body))).toBe(false);
  });
});
