import { InvalidArgumentError } from './errors.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** A database id: a positive safe integer. */
export function requireId(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(field, `must be a positive id, got ${value}`);
  }
  return value;
}

export function optionalId(field: string, value: number | undefined): number | undefined {
  return value === undefined ? undefined : requireId(field, value);
}

export function int32(field: string, value: number): number {
  if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
    throw new InvalidArgumentError(
      field,
      `must fit in a 32-bit signed integer (${INT32_MIN}..${INT32_MAX}), got ${value}`,
    );
  }
  return value;
}

/** The times a request may carry: ISO 8601's years 0001..9999 (PostgreSQL holds more, JS less). */
const EARLIEST_MS = Date.parse('0001-01-01T00:00:00Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** A time from a request (a protobuf Timestamp can hold any seconds; the database cannot). */
export function time(field: string, value: Date): Date {
  const ms = value.getTime();
  if (!(ms >= EARLIEST_MS && ms <= LATEST_MS)) {
    const got = Number.isNaN(ms) ? 'an invalid time' : value.toISOString();
    throw new InvalidArgumentError(
      field,
      `must be a time between 0001-01-01 and 9999-12-31 (UTC), got ${got}`,
    );
  }
  return value;
}

export function optionalTime(field: string, value: Date | undefined): Date | undefined {
  return value === undefined ? undefined : time(field, value);
}

export function port(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new InvalidArgumentError(field, `must be a TCP/UDP port 0..65535, got ${value}`);
  }
  return value;
}

export function nonEmpty(field: string, value: string, maxLength = 256): string {
  if (value.trim() === '') throw new InvalidArgumentError(field, 'must not be empty');
  return maxLength === Infinity ? value : text(field, value, maxLength);
}

export function text(field: string, value: string, maxLength: number): string {
  // PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
  if (value.includes('\u0000')) {
    throw new InvalidArgumentError(field, 'must not contain NUL (\\u0000) characters');
  }
  if (value.length > maxLength) {
    throw new InvalidArgumentError(
      field,
      `must be at most ${maxLength} characters, got ${value.length}`,
    );
  }
  return value;
}

/** Absent or empty becomes null. */
export function optionalText(
  field: string,
  value: string | undefined,
  maxLength: number,
): string | null {
  return value === undefined || value === '' ? null : text(field, value, maxLength);
}

/** What a runner pool may be called (the database's service_runner_pool_check says the same). */
const RUNNER_POOL = /^[A-Za-z0-9._-]{1,64}$/;
/** How people name the default pool (the pool of services without one); stored as ''. */
export const DEFAULT_RUNNER_POOL = 'default';

/** A runner pool's name, '' for the default pool (which "default" also names). */
export function runnerPool(field: string, value: string): string {
  if (value === '' || value === DEFAULT_RUNNER_POOL) return '';
  if (!RUNNER_POOL.test(value)) {
    throw new InvalidArgumentError(
      field,
      `must be empty or "default" (the default pool), or 1–64 letters, digits, '.', '_' or '-', got ${JSON.stringify(value.slice(0, 80))}`,
    );
  }
  return value;
}
