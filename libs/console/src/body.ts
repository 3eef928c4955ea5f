import type { Context } from 'hono';
import { HttpError } from './http-errors.js';

/** The request's JSON object body (400 in words when it is not one). */
export async function jsonObject(c: Context): Promise<Record<string, unknown>> {
  const body: unknown = await c.req.json().catch(() => {
    throw new HttpError(400, 'the request body is not JSON');
  });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'send a JSON object');
  }
  return body as Record<string, unknown>;
}

/** `body[name]` as text (at most `max` characters). */
export function textField(body: Record<string, unknown>, name: string, max = 4096): string {
  const value = body[name];
  if (typeof value !== 'string') throw new HttpError(400, `${name}: expected text`);
  if (value.length > max) throw new HttpError(400, `${name}: at most ${max} characters`);
  return value;
}

/** `body[name]` as a whole number. */
export function intField(body: Record<string, unknown>, name: string): number {
  const value = body[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new HttpError(400, `${name}: expected a whole number`);
  }
  return value;
}

/** `body[name]` as true or false. */
export function boolField(body: Record<string, unknown>, name: string): boolean {
  const value = body[name];
  if (typeof value !== 'boolean') throw new HttpError(400, `${name}: expected true or false`);
  return value;
}

/** `body.roundTime`: a round's time, as ISO 8601 text. */
export function roundTimeField(body: Record<string, unknown>): Date {
  const time = new Date(textField(body, 'roundTime', 40));
  if (Number.isNaN(time.getTime())) {
    throw new HttpError(400, 'roundTime: expected the round’s time, e.g. 2026-12-01T10:00:00Z');
  }
  return time;
}
