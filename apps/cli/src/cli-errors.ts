/** A mistake in the command line: printed as `usage: …`, exit code 2. */
export class UsageError extends Error {}

/** A failure with what to do about it, printed as one line `checkwire: …`, exit code 1. */
export class CliError extends Error {}

/** An error's message up to its first line break: errors are printed as one line. */
export const firstLine = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
