import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBody } from './body-read.js';

const body = (...chunks: string[]) => Readable.from(chunks.map((c) => Buffer.from(c)));

describe('readBody', () => {
  it('reads a body of exactly the limit whole, in one chunk or several', async () => {
    expect(await readBody(body('abcd'), 4)).toEqual({ bytes: Buffer.from('abcd'), cut: false });
    expect(await readBody(body('ab', 'cd'), 4)).toEqual({ bytes: Buffer.from('abcd'), cut: false });
    expect(await readBody(body('ab'), 4)).toEqual({ bytes: Buffer.from('ab'), cut: false });
  });

  it('cuts a longer body at the limit, and destroys it', async () => {
    const longer = body('abc', 'de', 'never read');
    expect(await readBody(longer, 4)).toEqual({ bytes: Buffer.from('abcd'), cut: true });
    expect(longer.destroyed).toBe(true);
    expect(await readBody(body('abcd', 'e'), 4)).toEqual({ bytes: Buffer.from('abcd'), cut: true });
  });
});
