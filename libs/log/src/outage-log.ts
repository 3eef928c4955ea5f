/**
 * Reports a dependency outage once when it starts and once, with a count, when it has been quiet
 * for a while, instead of a line per failure (a database restart under load would otherwise
 * write thousands of lines).
 */
export class OutageLog {
  private startedAt: number | undefined;
  private lastAt = 0;
  private count = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Writes the first line (with the reason) and the summary. */
    private readonly write: (line: string) => void,
    /** Quiet this long means the outage is over. @default 5000 */
    private readonly quietMs = 5000,
  ) {}

  /** One failure; the first of an outage is written with its reason. */
  failed(what: string, reason: string): void {
    const now = Date.now();
    this.count++;
    this.lastAt = now;
    if (this.startedAt !== undefined) return;
    this.startedAt = now;
    this.write(
      `${what}: the database is unreachable (${reason}); further failures are counted, not logged`,
    );
    this.timer = setInterval(() => this.check(), Math.max(100, this.quietMs / 2));
    this.timer.unref();
  }

  private check(): void {
    if (this.startedAt === undefined || Date.now() - this.lastAt < this.quietMs) return;
    const seconds = ((this.lastAt - this.startedAt) / 1000).toFixed(1);
    this.write(`database outage over: ${this.count} failure(s) in ${seconds} s`);
    clearInterval(this.timer);
    this.timer = undefined;
    this.startedAt = undefined;
    this.count = 0;
  }
}
