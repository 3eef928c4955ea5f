import { HttpError } from './http-errors.js';

/**
 * Bounds open live streams (each holds a gRPC watch on the scoring server): per caller (a session,
 * or an address for the public), and in all. A caller over its share gets 429 and others are not
 * affected.
 */
export class StreamSlots {
  private readonly byCaller = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly perCaller: number,
    private readonly overall: number,
  ) {}

  /** Takes a slot for `caller`; the returned function gives it back (once). */
  take(caller: string): () => void {
    const held = this.byCaller.get(caller) ?? 0;
    if (held >= this.perCaller) {
      throw new HttpError(
        429,
        `at most ${this.perCaller} live pages per browser: close another tab`,
      );
    }
    if (this.total >= this.overall) {
      throw new HttpError(
        503,
        'the console has as many live pages open as it serves; try again soon',
      );
    }
    this.byCaller.set(caller, held + 1);
    this.total += 1;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.total -= 1;
      const left = (this.byCaller.get(caller) ?? 1) - 1;
      if (left === 0) this.byCaller.delete(caller);
      else this.byCaller.set(caller, left);
    };
  }

  get open(): number {
    return this.total;
  }
}
