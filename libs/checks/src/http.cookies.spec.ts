import { describe, expect, it } from 'vitest';
import { CookieJar, MAX_COOKIE_BYTES, MAX_COOKIES } from './http.cookies.js';

const at = (href: string) => new URL(href);

describe('CookieJar', () => {
  it('sends a cookie back to the host that set it, on paths under its Path', () => {
    const jar = new CookieJar();
    jar.store(at('http://shop.test/login'), [
      'sid=abc; Path=/; HttpOnly',
      'cart=1; Path=/cart',
      'theme="dark"', // default path: "/" (the directory of /login), quotes dropped
    ]);
    expect(jar.header(at('http://shop.test/'))).toBe('sid=abc; theme=dark');
    expect(jar.header(at('https://shop.test/cart/items'))).toBe('cart=1; sid=abc; theme=dark');
    expect(jar.header(at('http://other.test/'))).toBeUndefined();
    expect(jar.header(at('http://www.shop.test/'))).toBeUndefined(); // Domain is ignored
  });

  it('takes its default path from the request, and ignores Expires', () => {
    const jar = new CookieJar();
    jar.store(at('http://shop.test/app/login'), ['s=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar.header(at('http://shop.test/'))).toBeUndefined();
    expect(jar.header(at('http://shop.test/app/home'))).toBe('s=1');
  });

  it('replaces a cookie of the same name and path, and deletes on Max-Age ≤ 0', () => {
    const jar = new CookieJar();
    jar.store(at('http://shop.test/'), ['sid=old', 'sid=new']);
    expect(jar.header(at('http://shop.test/'))).toBe('sid=new');
    jar.store(at('http://shop.test/'), ['sid=; Max-Age=0']);
    expect(jar.header(at('http://shop.test/'))).toBeUndefined();
  });

  it('drops malformed, oversized and surplus cookies', () => {
    const jar = new CookieJar();
    jar.store(at('http://shop.test/'), [
      'no-equals-sign',
      'bad name=1',
      'ctl=a\u0001b',
      `big=${'x'.repeat(MAX_COOKIE_BYTES)}`,
      ...Array.from({ length: MAX_COOKIES + 10 }, (_, i) => `c${i}=${i}`),
    ]);
    const sent = jar.header(at('http://shop.test/'))!.split('; ');
    expect(sent).toHaveLength(MAX_COOKIES);
    expect(sent[0]).toBe('c0=0');
    expect(sent.at(-1)).toBe(`c${MAX_COOKIES - 1}=${MAX_COOKIES - 1}`);
  });
});
