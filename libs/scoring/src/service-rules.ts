import { InvalidArgumentError } from '@checkwire/errors';
import { DEFAULT_SERVICE_POINTS } from '@checkwire/db';

/** What a service name may be (the database's service_name_check says the same). */
const NAME = /^[A-Za-z0-9._-]{1,64}$/;
export const MAX_POINTS = 1_000_000;

/** A service's name; '' is kept (on create it means "<subtype>-<id>"). */
export function serviceName(field: string, value: string): string {
  if (value !== '' && !NAME.test(value)) {
    throw new InvalidArgumentError(
      field,
      `must be 1–64 letters, digits, '.', '_' or '-', got ${JSON.stringify(value.slice(0, 80))}`,
    );
  }
  return value;
}

/** What an up check is worth; absent: DEFAULT_SERVICE_POINTS. */
export function points(field: string, value: number | undefined): number {
  if (value === undefined) return DEFAULT_SERVICE_POINTS;
  if (!Number.isInteger(value) || value < 0 || value > MAX_POINTS) {
    throw new InvalidArgumentError(field, `must be 0–${MAX_POINTS}, got ${value}`);
  }
  return value;
}
