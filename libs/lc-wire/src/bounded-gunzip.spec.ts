import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  GUNZIP_CHUNK_BYTES,
  GUNZIP_RATIO_SLACK_BYTES,
  gunzipBounded,
  InflatedTooLargeError,
  NotGzipError,
} from './bounded-gunzip.js';

const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString();

describe('gunzipBounded', () => {
  it('inflates one member or several, in one piece or several, as gzip.decompress does', async () => {
    const one = gzipSync(Buffer.from('{"heartbeat": {}}'));
    expect(text(await gunzipBounded(one, { maxBytes: 1024 }))).toBe('{"heartbeat": {}}');
    const two = Buffer.concat([gzipSync(Buffer.from('ab')), gzipSync(Buffer.from('cd'))]);
    expect(text(await gunzipBounded(two, { maxBytes: 1024 }))).toBe('abcd');
    const pieces = [two.subarray(0, 7), two.subarray(7, 30), two.subarray(30)];
    expect(text(await gunzipBounded(pieces, { maxBytes: 1024 }))).toBe('abcd');
  });

  it('stops a gzip bomb at the limit: 1 GiB of zeros costs at most the limit and one piece', async () => {
    // 1024 members of 1 MiB of zeros: about 1 MiB compressed, 1 GiB inflated.
    const member = gzipSync(Buffer.alloc(1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 1024 }, () => member));
    const limit = 256 * 1024;
    let seen = 0;
    const refused = await gunzipBounded(
      bomb,
      { maxBytes: limit },
      (c) => void (seen += c.length),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InflatedTooLargeError);
    expect((refused as Error).message).toBe(`decompressed body larger than ${limit} bytes`);
    expect(seen).toBeLessThanOrEqual(limit);
    expect(seen).toBeGreaterThan(limit - GUNZIP_CHUNK_BYTES);
  });

  it('refuses a body inflating more than maxRatio times its compressed size (plus 1 MiB), naming the limit', async () => {
    // 4 MiB of zeros compress to about 4 KiB: a ratio of about 1000.
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024));
    const limit = 64 * bomb.length + GUNZIP_RATIO_SLACK_BYTES;
    let seen = 0;
    const refused = await gunzipBounded(
      bomb,
      { maxBytes: 8 * 1024 * 1024, maxRatio: 64 },
      (c) => void (seen += c.length),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InflatedTooLargeError);
    expect((refused as InflatedTooLargeError).limit).toBe(limit);
    expect((refused as Error).message).toBe(
      `decompressed body larger than ${limit} bytes (64 times its ${bomb.length} compressed ` +
        'bytes, plus 1 MiB): no JSON compresses that well',
    );
    expect(seen).toBeLessThanOrEqual(limit);
    // Under the ratio, maxBytes is the limit named.
    const json = gzipSync(Buffer.from(JSON.stringify({ a: 'x'.repeat(10_000) })));
    await expect(gunzipBounded(json, { maxBytes: 1000, maxRatio: 64 })).rejects.toThrow(
      'decompressed body larger than 1000 bytes',
    );
    expect(text(await gunzipBounded(json, { maxBytes: 20_000, maxRatio: 64 }))).toMatch(/^\{"a"/);
  });

  it('accepts a body of exactly the limit', async () => {
    const body = Buffer.alloc(100_000, 'x');
    const inflated = Buffer.concat(await gunzipBounded(gzipSync(body), { maxBytes: 100_000 }));
    expect(inflated.equals(body)).toBe(true);
  });

  it('refuses bytes that are not gzip, or gzip cut short', async () => {
    await expect(
      gunzipBounded(Buffer.from('{"heartbeat": {}}'), { maxBytes: 1024 }),
    ).rejects.toBeInstanceOf(NotGzipError);
    const cut = gzipSync(Buffer.alloc(10_000, 'y')).subarray(0, 20);
    await expect(gunzipBounded(cut, { maxBytes: 1024 * 1024 })).rejects.toBeInstanceOf(
      NotGzipError,
    );
    await expect(gunzipBounded(Buffer.alloc(0), { maxBytes: 1024 })).rejects.toBeInstanceOf(
      NotGzipError,
    );
  });

  it('stops when onChunk throws, with what it threw', async () => {
    const stop = new Error('over budget');
    await expect(
      gunzipBounded(gzipSync(Buffer.alloc(100_000)), { maxBytes: 1_000_000 }, () => {
        throw stop;
      }),
    ).rejects.toBe(stop);
  });
});
