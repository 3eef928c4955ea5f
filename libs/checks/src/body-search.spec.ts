import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { searchBody } from './body-search.js';

const body = (...chunks: string[]) => Readable.from(chunks.map((c) => Buffer.from(c)));
const needle = Buffer.from('Team 7');

describe('searchBody', () => {
  it('finds the text in one chunk, or straddling two or more', async () => {
    expect(await searchBody(body('<h1>Team 7 shop</h1>'), needle, 100)).toBe('found');
    expect(await searchBody(body('<h1>Tea', 'm 7 shop'), needle, 100)).toBe('found');
    expect(await searchBody(body('T', 'e', 'a', 'm', ' ', '7'), needle, 100)).toBe('found');
    expect(await searchBody(body('<h1>Team', ' 8</h1>'), needle, 100)).toBe('ended');
  });

  it('finds UTF-8 text split inside a character', async () => {
    const bytes = Buffer.from('<p>café ☕</p>');
    const cut = bytes.indexOf(0xe2) + 1;
    const split = Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(await searchBody(split, Buffer.from('café ☕'), 100)).toBe('found');
  });

  it('looks no further than its limit, and stops reading there', async () => {
    expect(await searchBody(body('0123456789', 'Team 7'), needle, 16)).toBe('found');
    expect(await searchBody(body('0123456789', 'Team 7'), needle, 15)).toBe('limit');
    // A body of exactly the limit is whole: it ended without the text, it was not cut.
    expect(await searchBody(body('0123456789', 'abcdef'), needle, 16)).toBe('ended');
    expect(await searchBody(body('0123456789', 'abcdef', 'g'), needle, 16)).toBe('limit');
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled += 1;
        this.push(Buffer.alloc(1024, 'a'));
      },
    });
    expect(await searchBody(endless, needle, 10 * 1024)).toBe('limit');
    expect(endless.destroyed).toBe(true);
    expect(pulled).toBeLessThanOrEqual(10 + 16); // the limit, and what the stream read ahead
  });
});
