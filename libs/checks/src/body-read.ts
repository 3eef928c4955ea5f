import type { Readable } from 'node:stream';

/** A body read up to a limit: its first bytes, and whether it went on past them. */
export interface BodyRead {
  bytes: Buffer;
  /** More than the limit came: the rest is never read (the stream is destroyed). */
  cut: boolean;
}

/**
 * Reads `body` until it ends (a body of exactly `maxBytes` is whole) or a byte past `maxBytes`
 * comes (then the stream is destroyed, so the server is hung up on and no further byte is read).
 * Chunks wait in a list, copied once at the end.
 */
export function readBody(body: Readable, maxBytes: number): Promise<BodyRead> {
  return new Promise<BodyRead>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let read = 0;
    body.on('data', (chunk: Buffer) => {
      const room = maxBytes - read;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        read += room;
        body.destroy();
        resolve({ bytes: Buffer.concat(chunks, read), cut: true });
        return;
      }
      chunks.push(chunk);
      read += chunk.length;
    });
    body.on('end', () => resolve({ bytes: Buffer.concat(chunks, read), cut: false }));
    body.on('error', reject);
  });
}
