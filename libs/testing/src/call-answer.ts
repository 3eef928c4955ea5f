import type { RawAnswer } from './raw-grpc-caller.js';

/**
 * The final status of a call made with a promise client: OK (code 0) when a unary call resolves,
 * or a stream yields its first message or ends; otherwise the error's code and details. A stream
 * is cancelled (through `controller`) once answered.
 */
export async function callAnswer(
  call: Promise<unknown> | AsyncIterable<unknown>,
  controller?: AbortController,
): Promise<RawAnswer> {
  try {
    if (call instanceof Promise) {
      await call;
    } else {
      for await (const _ of call) break;
      controller?.abort();
    }
    return { code: 0, details: '' };
  } catch (err) {
    const e = err as { code?: unknown; details?: unknown };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, details: typeof e.details === 'string' ? e.details : '' };
  }
}
