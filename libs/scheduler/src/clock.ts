/** Where the scheduler reads the time: the system's, or a test's hand. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told (tests). */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date): void {
    this.current = new Date(to);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** The start of the period of `periodMs` that `at` falls in (periods aligned on the epoch). */
export function slotStart(at: Date, periodMs: number, offsetMs = 0): Date {
  return new Date(Math.floor((at.getTime() - offsetMs) / periodMs) * periodMs + offsetMs);
}
