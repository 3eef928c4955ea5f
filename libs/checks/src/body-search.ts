import type { Readable } from 'node:stream';

/** Where the search stopped: at the needle, at the end of the body, or at the byte limit. */
export type BodySearch = 'found' | 'ended' | 'limit';

/**
 * Looks for `needle` (bytes) within the first `maxBytes` of `body`. Reads no further than that,
 * nor past the needle once found (the stream is then destroyed), and keeps only the chunk at hand
 * and the needle's length of the one before (a match may straddle two chunks).
 */
export function searchBody(body: Readable, needle: Buffer, maxBytes: number): Promise<BodySearch> {
  return new Promise<BodySearch>((resolve, reject) => {
    const settle = (result: BodySearch) => {
      body.destroy();
      resolve(result);
    };
    let tail = Buffer.alloc(0);
    let read = 0;
    body.on('data', (chunk: Buffer) => {
      // A byte past the limit: only then is the body longer than it (exactly maxBytes is whole).
      if (read >= maxBytes) return settle('limit');
      const part = chunk.subarray(0, maxBytes - read);
      read += part.length;
      const window = Buffer.concat([tail, part]);
      if (window.includes(needle)) settle('found');
      else if (part.length < chunk.length) settle('limit');
      else tail = window.subarray(Math.max(0, window.length - needle.length + 1));
    });
    body.on('end', () => resolve('ended'));
    body.on('error', reject);
  });
}
