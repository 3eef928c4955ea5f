import { describe, expect, it } from 'vitest';
import { maskPassword } from './mask-url.js';

describe('maskPassword', () => {
  it.each([
    ['postgres://checkwire:s3cret@127.0.0.1:5432/db', 'postgres://checkwire:***@127.0.0.1:5432/db'],
    ['postgres://u:p%40ss@h/db?sslmode=require', 'postgres://u:***@h/db?sslmode=require'],
    ['postgres://u@h/db', 'postgres://u@h/db'],
    ['not a url s3cret', '<unparseable URL>'],
  ])('%s → %s', (url, masked) => {
    expect(maskPassword(url)).toBe(masked);
  });
});
