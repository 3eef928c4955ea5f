import { createLogger } from '@checkwire/log';
import { Slots } from './slots.js';

const LOG = createLogger('scheduler');

/** Added to a batch's lease beyond its calls' deadlines (a database round trip or two). */
const LEASE_MARGIN_MS = 10_000;

/**
 * The calls of leased batches (periodic callbacks, continuations), at most `concurrency` out at
 * once across batches. `start` returns once every item of a batch has a call slot, so the worker
 * claims its next batch while this one's last calls are still out and the handler is not left
 * idle between batches; `drain` waits for every batch started to end and be written.
 */
export class LeasedBatches {
  private readonly slots: Slots;
  /** Batches whose calls are still out (or whose outcomes are being written). */
  private readonly batches = new Set<Promise<void>>();

  constructor(
    private readonly concurrency: number,
    /** What the items are, for the log: `deliveries`, `continuations`. */
    private readonly what: string,
  ) {
    this.slots = new Slots(concurrency);
  }

  /**
   * The lease a batch of `size` needs when each call takes at most `deadlineMs`: the batch's
   * calls at this concurrency behind the calls of the batch before it, plus a margin.
   */
  leaseMs(size: number, deadlineMs: number): number {
    return (Math.ceil(size / this.concurrency) + 1) * deadlineMs + LEASE_MARGIN_MS;
  }

  /**
   * Calls `settle` for each item as call slots free up; `end` runs once all have settled (or
   * failed: an item not settled is tried again when its lease ends).
   */
  async start<T>(
    items: readonly T[],
    settle: (item: T) => Promise<void>,
    end: () => Promise<void> = () => Promise.resolve(),
  ): Promise<void> {
    const calls: Promise<void>[] = [];
    for (const item of items) {
      await this.slots.acquire();
      calls.push(settle(item).finally(() => this.slots.release()));
    }
    const finishing = Promise.allSettled(calls).then(async (results) => {
      const failed = results.find((r) => r.status === 'rejected');
      try {
        await end();
      } finally {
        if (failed !== undefined) LOG.failure(`settling ${this.what}`, failed.reason);
      }
    });
    this.batches.add(finishing);
    void finishing
      .catch((err: unknown) => LOG.failure(`writing settled ${this.what}`, err))
      .finally(() => this.batches.delete(finishing));
  }

  /** Waits for the calls of every batch started to end and their outcomes to be written. */
  async drain(): Promise<void> {
    while (this.batches.size > 0) await Promise.allSettled([...this.batches]);
  }
}
