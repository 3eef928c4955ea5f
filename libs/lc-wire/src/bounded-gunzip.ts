import { createGunzip } from 'node:zlib';

/** The body inflated past the limit (a gzip bomb, or just too large): nothing more was inflated. */
export class InflatedTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`decompressed body larger than ${limit} bytes`);
  }
}

/** The bytes are not gzip (or are cut short). */
export class NotGzipError extends Error {
  constructor() {
    super('the body is not valid gzip (Content-Encoding: gzip)');
  }
}

/** zlib's output piece size: the most inflated past the limit before it stops. */
export const GUNZIP_CHUNK_BYTES = 16 * 1024;

/**
 * Inflates `compressed` (one or more gzip members, as `gzip.decompress` reads them) piece by piece,
 * in zlib's thread pool, and stops as soon as the output passes `limit` bytes: a gzip bomb costs at
 * most `limit` bytes plus one piece of memory and the time to inflate that much. `onChunk` sees
 * every piece kept (e.g. to hash it or count it against a budget); if it throws, inflating stops
 * and the promise rejects with what it threw.
 */
export function gunzipBounded(
  compressed: Uint8Array,
  limit: number,
  onChunk?: (chunk: Buffer) => void,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      gunzip.destroy();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) return fail(new InflatedTooLargeError(limit));
      try {
        onChunk?.(chunk);
      } catch (err) {
        return fail(err);
      }
      chunks.push(chunk);
    });
    gunzip.on('error', () => fail(new NotGzipError()));
    gunzip.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, size));
    });
    gunzip.end(compressed);
  });
}
