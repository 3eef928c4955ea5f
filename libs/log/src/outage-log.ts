/**
 * Reports an outage (a dependency that cannot be reached) once when it starts and once, with a
 * count, when it has been quiet for a while, instead of a line per failure: a database restart
 * or a peer's restart under load would otherwise write thousands of lines.
 */
export class OutageLog {
  private startedAt: number | undefined;
  private lastAt = 0;
  private count = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** What is out, for the summary line ("database", "scheduler at 127.0.0.1:50053"). */
    private readonly label: string,
    /** Writes the first line and the summary. */
    private readonly write: (line: string) => void,
    /** Quiet this long means the outage is over. @default 5000 */
    private readonly quietMs = 5000,
  ) {}

  /** One failure; the first of an outage is written as it is. */
  failed(line: string): void {
    const now = Date.now();
    this.count++;
    this.lastAt = now;
    if (this.startedAt !== undefined) return;
    this.startedAt = now;
    this.write(`${line}; further failures are counted, not logged`);
    this.timer = setInterval(() => this.check(), Math.max(100, this.quietMs / 2));
    this.timer.unref();
  }

  private check(): void {
    if (this.startedAt === undefined || Date.now() - this.lastAt < this.quietMs) return;
    const seconds = ((this.lastAt - this.startedAt) / 1000).toFixed(1);
    this.write(`${this.label} outage over: ${this.count} failure(s) in ${seconds} s`);
    clearInterval(this.timer);
    this.timer = undefined;
    this.startedAt = undefined;
    this.count = 0;
  }
}
