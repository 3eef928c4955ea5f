/**
 * A handler's declarations (Describe, DescribeExtension), cached for `ttlMs`. When asking fails,
 * the last successful answer stands in (for the TTL too, so a handler that is down is not asked
 * again on every message, each ask waiting its whole deadline); only a handler never described
 * fails, and is asked again the next time.
 */
export class CachedDescribe<T> {
  private described: { at: number; value: Promise<T> } | undefined;
  private lastGood: T | undefined;

  constructor(
    private readonly ask: () => Promise<T>,
    private readonly ttlMs: number,
  ) {}

  get(): Promise<T> {
    const now = Date.now();
    if (this.described === undefined || now - this.described.at > this.ttlMs) {
      const value = this.ask().then(
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
