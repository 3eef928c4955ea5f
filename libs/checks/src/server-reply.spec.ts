import { describe, expect, it } from 'vitest';
import { MAX_QUOTED_CHARS, serverText } from './server-reply.js';

describe('serverText', () => {
  it('masks secrets, shows control bytes and clips', () => {
    expect(serverText('bad password hunter2!', ['hunter2'])).toBe('bad password ***!');
    expect(serverText('a\r\nb\0')).toBe('a\\x0d\\x0ab\\x00');
    expect(serverText('x'.repeat(500))).toBe(`${'x'.repeat(MAX_QUOTED_CHARS)}…`);
    expect(serverText('nothing to hide', [''])).toBe('nothing to hide');
  });
});
