import { readFileSync } from 'node:fs';
import { UsageError } from './options.js';

/** A one-line refusal of what the person gave (exit code 2), without the usage. */
export class BadInput extends Error {}

/** The text of the file a flag names (`--data-file`); BadInput when it cannot be read. */
export function readFlagFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new BadInput(`${flag}: cannot read ${path} (${(err as NodeJS.ErrnoException).code})`);
  }
}

/** A flag's JSON; BadInput naming the flag when it is not JSON. */
export function parseJsonFlag(flag: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadInput(`${flag} is not JSON: ${(err as Error).message}`);
  }
}

/** `--deadline SECONDS` (from now); BadInput when it is not a number. */
export function deadlineSeconds(text: string): number {
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds)) {
    throw new BadInput(`--deadline must be a number of seconds, got "${text}"`);
  }
  return seconds;
}

/**
 * Prints a refusal of the command line (`<command>: <problem>`, then the usage) or of the input
 * (its one line); the exit code 2. Any other error is not a refusal: it is thrown again.
 */
export function refusal(err: unknown, command: string, usage: string): number {
  if (err instanceof UsageError) console.error(`${command}: ${err.message}\n${usage}`);
  else if (err instanceof BadInput) console.error(err.message);
  else throw err;
  return 2;
}
