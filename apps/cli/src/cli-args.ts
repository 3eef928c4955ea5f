import { UsageError } from './cli-errors.js';

// Flag values as numbers, refused in one wording everywhere (`usage: --team must be …`).

export function positiveId(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`${flag} must be a positive id, got ${JSON.stringify(value ?? '')}`);
  }
  return n;
}

export function wholeNumber(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isSafeInteger(n)) {
    throw new UsageError(`${flag} must be a whole number, got ${JSON.stringify(value ?? '')}`);
  }
  return n;
}

export function positiveCount(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(
      `${flag} must be a positive whole number, got ${JSON.stringify(value ?? '')}`,
    );
  }
  return n;
}

/** A date (midnight UTC) or a date and time with its zone: `Z` or `±hh:mm`. */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * An ISO 8601 time, refused unless every part is in range (Date would take 2026-02-30 as March 2)
 * and, with a time of day, unless it names its zone (a bare 10:00 is whose 10:00?).
 */
export function isoTime(flag: string, value: string | undefined): Date {
  const match = ISO_TIME.exec(value ?? '');
  const [, year, month, day, hour = '0', minute = '0', second = '0', zone] = match ?? [];
  const days = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  const inRange =
    match !== null &&
    Number(month) >= 1 &&
    Number(month) <= 12 &&
    Number(day) >= 1 &&
    Number(day) <= days &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 59 &&
    (zone === undefined || /^(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/.test(zone));
  const time = inRange ? new Date(value!) : undefined;
  if (time === undefined || Number.isNaN(time.getTime())) {
    throw new UsageError(
      `${flag} must be an ISO 8601 date or time with its zone (2026-12-01, 2026-12-01T10:00:00Z, 2026-12-01T12:00+02:00), got ${JSON.stringify(value ?? '')}`,
    );
  }
  return time;
}
