import type { Readable } from 'node:stream';

/** A body read up to a limit: its first bytes, and whether it went on past them. */
export interface BodyRead {
  bytes: Buffer;
  /** The limit was reached: there may be more, which is never read (the stream is destroyed). */
  cut: boolean;
}

/**
 * Reads `body` until it ends or `maxBytes` have come (then the stream is destroyed, so the server
 * is hung up on and no further byte is read). Chunks wait in a list, copied once at the end.
 */
export function readBody(body: Readable, maxBytes: number): Promise<BodyRead> {
  return new Promise<BodyRead>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let read = 0;
    body.on('data', (chunk: Buffer) => {
      const part = chunk.subarray(0, maxBytes - read);
      chunks.push(part);
      read += part.length;
      if (read >= maxBytes) {
        body.destroy();
        resolve({ bytes: Buffer.concat(chunks, read), cut: true });
      }
    });
    body.on('end', () => resolve({ bytes: Buffer.concat(chunks, read), cut: false }));
    body.on('error', reject);
  });
}
