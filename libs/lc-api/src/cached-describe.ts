/**
 * How long a handler's declarations (Describe, DescribeExtension) are trusted: the one default
 * for the LC gateway (`describeTtlMs`) and the scheduler.
 */
export const DESCRIBE_TTL_MS = 30_000;

/**
 * A handler's declarations (Describe, DescribeExtension), cached for `ttlMs`. When asking fails,
 * the last successful answer stands in (for the TTL too, so a handler that is down is not asked
 * again on every message, each ask waiting its whole deadline); only a handler never described
 * fails, and is asked again the next time. `get`'s arguments go to `ask` when it does ask (a
 * deadline, say); callers that arrive while it asks share that one ask.
 */
export class CachedDescribe<T, A extends unknown[] = []> {
  private described: { at: number; value: Promise<T> } | undefined;
  private lastGood: T | undefined;

  constructor(
    private readonly ask: (...args: A) => Promise<T>,
    private readonly ttlMs: number = DESCRIBE_TTL_MS,
  ) {}

  get(...args: A): Promise<T> {
    const now = Date.now();
    if (this.described === undefined || now - this.described.at > this.ttlMs) {
      const value = this.ask(...args).then(
        (d) => {
          this.lastGood = d;
          return d;
        },
        (err: unknown) => {
          if (this.lastGood !== undefined) return this.lastGood;
          if (this.described?.value === value) this.described = undefined;
          throw err;
        },
      );
      this.described = { at: now, value };
    }
    return this.described.value;
  }
}
