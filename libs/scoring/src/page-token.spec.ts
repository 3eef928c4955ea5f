import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@checkwire/errors';
import { decodePageToken, encodePageToken, pageSize } from './page-token.js';

describe('page tokens', () => {
  it('round-trip an id and treat the empty token as the first page', () => {
    expect(decodePageToken(encodePageToken(42))).toBe(42);
    expect(decodePageToken('')).toBeUndefined();
  });

  it.each([
    'garbage',
    Buffer.from('v1:-3').toString('base64url'),
    Buffer.from('v2:5').toString('base64url'),
  ])('refuse %s', (token) => {
    expect(() => decodePageToken(token)).toThrow(
      new InvalidArgumentError('page_token', 'malformed; pass next_page_token back unchanged'),
    );
  });

  it('default page size 0 to 100 and refuse sizes outside 1..1000', () => {
    expect(pageSize('page_size', 0)).toBe(100);
    expect(pageSize('page_size', 1000)).toBe(1000);
    expect(() => pageSize('page_size', 1001)).toThrow(
      'page_size: must be 1..1000 (0 means 100), got 1001',
    );
    expect(() => pageSize('page_size', -1)).toThrow('got -1');
  });
});
