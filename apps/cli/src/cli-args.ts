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
