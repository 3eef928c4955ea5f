import { describe, expect, it } from 'vitest';
import { decodeEscapes } from './tcp-expect.check.js';

describe('decodeEscapes', () => {
  it('decodes \\r, \\n, \\t and \\\\, and leaves other backslashes', () => {
    expect(decodeEscapes('PING\\r\\n')).toBe('PING\r\n');
    expect(decodeEscapes('a\\tb\\nc')).toBe('a\tb\nc');
    expect(decodeEscapes('C:\\\\x \\q')).toBe('C:\\x \\q');
    expect(decodeEscapes('\\\\r')).toBe('\\r');
  });
});
