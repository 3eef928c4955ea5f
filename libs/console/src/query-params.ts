import { HttpError } from './http-errors.js';

type Query = Record<string, string | undefined>;

/** `?name=` as a positive whole number, or undefined when absent or empty. */
export function idParam(query: Query, name: string): number | undefined {
  const text = query[name];
  if (text === undefined || text === '') return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(text)) {
    throw new HttpError(
      400,
      `${name}: expected an id (a whole number above 0), got "${text.slice(0, 40)}"`,
    );
  }
  return Number(text);
}

/** `?name=` as a whole number within [min, max], or `fallback` when absent. */
export function intParam(
  query: Query,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const text = query[name];
  if (text === undefined || text === '') return fallback;
  const value = /^[0-9]{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    throw new HttpError(
      400,
      `${name}: expected a whole number from ${min} to ${max}, got "${text.slice(0, 40)}"`,
    );
  }
  return value;
}

/** `?name=` as an instant (ISO 8601, e.g. 2026-12-01T10:00:00Z), or undefined when absent. */
export function timeParam(query: Query, name: string): Date | undefined {
  const text = query[name];
  if (text === undefined || text === '') return undefined;
  const time = new Date(text);
  if (text.length > 40 || Number.isNaN(time.getTime())) {
    throw new HttpError(
      400,
      `${name}: expected a time such as 2026-12-01T10:00:00Z, got "${text.slice(0, 40)}"`,
    );
  }
  return time;
}

/** `?name=` as one of `allowed`, or undefined when absent. */
export function choiceParam<T extends string>(
  query: Query,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const text = query[name];
  if (text === undefined || text === '') return undefined;
  if (!(allowed as readonly string[]).includes(text)) {
    throw new HttpError(
      400,
      `${name}: expected one of ${allowed.join(', ')}, got "${text.slice(0, 40)}"`,
    );
  }
  return text as T;
}

/** `?name=` as text of at most `max` characters, or undefined when absent. */
export function textParam(query: Query, name: string, max: number): string | undefined {
  const text = query[name];
  if (text === undefined || text === '') return undefined;
  if (text.length > max) throw new HttpError(400, `${name}: at most ${max} characters`);
  return text;
}
