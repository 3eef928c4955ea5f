import type { JobsClient } from './callback.js';

/** Returned by `mayHave` while the feed is not live: ask, and forget nothing afterwards. */
const UNKNOWN = -1;

/**
 * Which orgs of a route have job changes LimaCharlie has not seen, fed by the Jobs service's
 * WatchUndeliveredOrgs stream, so callbacks of other orgs skip the round trip to Jobs. While the
 * stream is down (or before its first snapshot) every org counts as possibly pending: slower,
 * never wrong.
 */
export class UndeliveredOrgs {
  private live = false;
  private counter = 0;
  /** oid → the counter value of its latest announcement. */
  private readonly pending = new Map<string, number>();
  private readonly controller = new AbortController();

  constructor(
    private readonly jobs: JobsClient,
    private readonly serviceName: string,
  ) {
    void this.follow();
  }

  /** undefined: nothing pending for the org; otherwise a token for `taken`. */
  mayHave(oid: string): number | undefined {
    return this.live ? this.pending.get(oid) : UNKNOWN;
  }

  /**
   * After taking everything of the org that was pending when `token` was read: forget the org,
   * unless a newer announcement came in meanwhile.
   */
  taken(oid: string, token: number): void {
    if (token !== UNKNOWN && this.pending.get(oid) === token) this.pending.delete(oid);
  }

  /** Marks an org pending (the gateway stored jobs for it itself). */
  touch(oid: string): void {
    this.pending.set(oid, ++this.counter);
  }

  stop(): void {
    this.controller.abort();
  }

  private async follow(): Promise<void> {
    let backoffMs = 100;
    while (!this.controller.signal.aborted) {
      try {
        const stream = this.jobs.watchUndeliveredOrgs(
          { serviceName: this.serviceName },
          { signal: this.controller.signal, deadlineMs: Infinity },
        );
        for await (const message of stream) {
          if (message.snapshot) {
            this.pending.clear();
            this.live = true;
          }
          for (const oid of message.oids) this.touch(oid);
          backoffMs = 100;
        }
      } catch {
        // Down, restarting or refusing us: fall back to asking on every callback, and retry.
      }
      this.live = false;
      if (this.controller.signal.aborted) return;
      await new Promise((r) => setTimeout(r, backoffMs).unref());
      backoffMs = Math.min(backoffMs * 2, 5000);
    }
  }
}
