import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  GUNZIP_CHUNK_BYTES,
  gunzipBounded,
  InflatedTooLargeError,
  NotGzipError,
} from './bounded-gunzip.js';

describe('gunzipBounded', () => {
  it('inflates one member or several, as gzip.decompress does', async () => {
    const one = gzipSync(Buffer.from('{"heartbeat": {}}'));
    expect((await gunzipBounded(one, 1024)).toString()).toBe('{"heartbeat": {}}');
    const two = Buffer.concat([gzipSync(Buffer.from('ab')), gzipSync(Buffer.from('cd'))]);
    expect((await gunzipBounded(two, 1024)).toString()).toBe('abcd');
  });

  it('stops a gzip bomb at the limit: 1 GiB of zeros costs at most the limit and one piece', async () => {
    // 1024 members of 1 MiB of zeros: about 1 MiB compressed, 1 GiB inflated.
    const member = gzipSync(Buffer.alloc(1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 1024 }, () => member));
    const limit = 256 * 1024;
    let seen = 0;
    const refused = await gunzipBounded(bomb, limit, (c) => void (seen += c.length)).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(InflatedTooLargeError);
    expect((refused as Error).message).toBe(`decompressed body larger than ${limit} bytes`);
    expect(seen).toBeLessThanOrEqual(limit);
    expect(seen).toBeGreaterThan(limit - GUNZIP_CHUNK_BYTES);
  });

  it('accepts a body of exactly the limit', async () => {
    const body = Buffer.alloc(100_000, 'x');
    expect((await gunzipBounded(gzipSync(body), 100_000)).equals(body)).toBe(true);
  });

  it('refuses bytes that are not gzip, or gzip cut short', async () => {
    await expect(gunzipBounded(Buffer.from('{"heartbeat": {}}'), 1024)).rejects.toBeInstanceOf(
      NotGzipError,
    );
    const cut = gzipSync(Buffer.alloc(10_000, 'y')).subarray(0, 20);
    await expect(gunzipBounded(cut, 1024 * 1024)).rejects.toBeInstanceOf(NotGzipError);
    await expect(gunzipBounded(Buffer.alloc(0), 1024)).rejects.toBeInstanceOf(NotGzipError);
  });

  it('stops when onChunk throws, with what it threw', async () => {
    const stop = new Error('over budget');
    await expect(
      gunzipBounded(gzipSync(Buffer.alloc(100_000)), 1_000_000, () => {
        throw stop;
      }),
    ).rejects.toBe(stop);
  });
});
