import { describe, expect, it } from 'vitest';
import { lcErrorText, redactSecrets } from './lc-error-text.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJvaWQiOlsiYSJdfQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const bytes = (s: string) => new TextEncoder().encode(s);

describe('lcErrorText', () => {
  it("takes LimaCharlie's error field from a JSON object, else the text", () => {
    expect(lcErrorText(bytes('{"error": "sensor not found"}'), false, JWT, 300)).toBe(
      'sensor not found',
    );
    expect(lcErrorText(bytes('{"message": "x"}'), false, JWT, 300)).toBe('{"message": "x"}');
    expect(lcErrorText(bytes('<h1>502 Bad Gateway</h1>\n'), false, JWT, 300)).toBe(
      '<h1>502 Bad Gateway</h1>',
    );
    expect(lcErrorText(bytes(' \n '), false, JWT, 300)).toBeUndefined();
  });

  it('puts it on one line and cuts it at maxChars (code points), marking the cut', () => {
    expect(lcErrorText(bytes('a\r\n\u2028b\u0000c'), false, JWT, 300)).toBe('a b c');
    expect(lcErrorText(bytes('é'.repeat(10)), false, JWT, 4)).toBe('éééé…');
    expect(lcErrorText(bytes('short'), true, JWT, 300)).toBe('short…');
  });
});

describe('redactSecrets', () => {
  it('removes the JWT, JWT-shaped tokens (even cut short) and bearer credentials', () => {
    expect(redactSecrets(`bad token ${JWT}!`, JWT)).toBe('bad token [jwt]!');
    expect(redactSecrets('other eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig', JWT)).toBe(
      'other [jwt]',
    );
    expect(redactSecrets(`cut ${JWT.slice(0, 12)}`, JWT)).toBe('cut [jwt]');
    expect(redactSecrets('Authorization: Bearer abc.def', JWT)).toBe(
      'Authorization: Bearer [redacted]',
    );
    expect(redactSecrets(`Bearer ${JWT}`, JWT)).toBe('Bearer [jwt]');
  });
});
