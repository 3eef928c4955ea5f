/**
 * What the stand-in can be told to do instead of answering normally, to test a client's retries,
 * deadlines and limits. `afterApplying: true` first does what the request asks (the task is
 * delivered, the rule written) and only then misbehaves: the case where the client cannot know
 * whether its call took effect (a gateway timeout after the backend acted, a connection lost on the
 * way back).
 */
export type StandinFault =
  | {
      kind: 'status';
      status: number;
      /** Default: `{"error": "<reason phrase>"}`. */
      body?: string;
      /** Send `body` this many times (streamed, so a 50 MiB answer is never held in memory). */
      repeatBody?: number;
      headers?: Record<string, string>;
      afterApplying?: boolean;
    }
  /** Read the request and never answer (until the client gives up or the stand-in closes). */
  | { kind: 'hang'; afterApplying?: boolean }
  /** Read the request and close the connection without a word. */
  | { kind: 'reset'; afterApplying?: boolean };

/** Faults waiting for the next requests, in order; each applies to `times` requests. */
export class FaultQueue {
  private readonly queue: { fault: StandinFault; left: number }[] = [];

  push(fault: StandinFault, times: number): void {
    if (!Number.isInteger(times) || times < 1) throw new RangeError('times must be 1 or more');
    this.queue.push({ fault, left: times });
  }

  /** The fault for the request that just arrived, if any (consumed). */
  take(): StandinFault | undefined {
    const head = this.queue[0];
    if (head === undefined) return undefined;
    head.left -= 1;
    if (head.left === 0) this.queue.shift();
    return head.fault;
  }

  clear(): void {
    this.queue.length = 0;
  }
}
