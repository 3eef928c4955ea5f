/**
 * A start-up refusal the operator fixes through one environment variable. Its message is one line,
 * `<VARIABLE>: <problem>; <fix>` (runMain prints it after the app's name and exits with code 2).
 * Problems quote values with JSON.stringify (so the line stays one line) and never quote secrets.
 */
export class ConfigError extends Error {
  constructor(
    /** The variable to change, e.g. `DATABASE_URL`. */
    readonly variable: string,
    /** What is wrong with its value, e.g. `"notaurl" is not a postgres:// URL`. */
    readonly problem: string,
    /** What to do, e.g. `set it to postgres://user:password@host:5432/db`. */
    readonly fix: string,
  ) {
    super(`${variable}: ${problem}; ${fix}`);
    this.name = 'ConfigError';
  }
}

/** A value as it is quoted in a problem: in double quotes, escaped, on one line. */
export const quoted = (value: string): string => JSON.stringify(value);
