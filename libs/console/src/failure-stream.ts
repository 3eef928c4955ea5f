import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { httpErrorOf } from './http-errors.js';

/**
 * A stream that says why it will not start, as one `failure` event (status and message), then
 * ends: an EventSource is never shown the body of a non-200 answer.
 */
export function failureStream(c: Context, err: unknown): Response {
  const { status, message } = httpErrorOf(err);
  return streamSSE(c, async (stream) => {
    await stream.writeSSE({ event: 'failure', data: JSON.stringify({ status, error: message }) });
  });
}
