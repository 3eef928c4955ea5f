import { createGunzip } from 'node:zlib';

/** The body inflated past its limit (a gzip bomb, or just too large): nothing more was inflated. */
export class InflatedTooLargeError extends Error {
  constructor(
    readonly limit: number,
    message = `decompressed body larger than ${limit} bytes`,
  ) {
    super(message);
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

/** Inflated bytes allowed above `maxRatio` × the compressed size (so tiny bodies always fit). */
export const GUNZIP_RATIO_SLACK_BYTES = 1024 * 1024;

export interface GunzipLimits {
  /** The most the body may inflate to. */
  maxBytes: number;
  /**
   * The most the body may inflate to per compressed byte (plus GUNZIP_RATIO_SLACK_BYTES): JSON
   * compresses 5–20 times; a gzip bomb about 1000 times. None: only `maxBytes`.
   */
  maxRatio?: number;
}

/** The limit `compressedBytes` inflate under, and the refusal past it. */
function limitFor(compressedBytes: number, limits: GunzipLimits): InflatedTooLargeError {
  const { maxBytes, maxRatio } = limits;
  const byRatio =
    maxRatio === undefined ? Infinity : maxRatio * compressedBytes + GUNZIP_RATIO_SLACK_BYTES;
  if (byRatio >= maxBytes) return new InflatedTooLargeError(maxBytes);
  return new InflatedTooLargeError(
    byRatio,
    `decompressed body larger than ${byRatio} bytes (${maxRatio} times its ${compressedBytes} ` +
      `compressed bytes, plus 1 MiB): no JSON compresses that well`,
  );
}

/**
 * Inflates `compressed` (in one piece or several as received; one or more gzip members, as `gzip.decompress` reads them) piece by piece,
 * in zlib's thread pool, and stops as soon as the output passes its limit (`maxBytes`, or less by
 * `maxRatio`): a gzip bomb costs at most the limit plus one piece of memory and the time to inflate
 * that much. The pieces come back as they are (no second, concatenated copy). `onChunk` sees every
 * piece kept (e.g. to hash it or count it against a budget); if it throws, inflating stops and the
 * promise rejects with what it threw.
 */
export function gunzipBounded(
  compressed: Uint8Array | readonly Uint8Array[],
  limits: GunzipLimits,
  onChunk?: (chunk: Buffer) => void,
): Promise<Buffer[]> {
  const pieces = compressed instanceof Uint8Array ? [compressed] : compressed;
  const tooLarge = limitFor(
    pieces.reduce((n, p) => n + p.length, 0),
    limits,
  );
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
      if (size > tooLarge.limit) return fail(tooLarge);
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
      resolve(chunks);
    });
    for (const piece of pieces) gunzip.write(piece);
    gunzip.end();
  });
}
