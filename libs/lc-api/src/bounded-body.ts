/**
 * Reads at most `max` bytes of an answer's body and cancels the rest, so a huge or endless answer
 * costs `max` bytes of memory and no more reading. `truncated` says there was more.
 */
export async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  max: number,
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (body === null) return { bytes: new Uint8Array(0), truncated: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: Buffer.concat(chunks, size), truncated: false };
      if (size + value.length > max) {
        chunks.push(value.subarray(0, max - size));
        size = max;
        await reader.cancel();
        return { bytes: Buffer.concat(chunks, size), truncated: true };
      }
      chunks.push(value);
      size += value.length;
    }
  } finally {
    reader.releaseLock();
  }
}
