import { isRequestRefusal, type PromiseClient } from '@checkwire/grpc';
import type {
  FinishServiceCheckEntry,
  FinishedServiceCheck,
  ScoringServiceService,
} from '@checkwire/proto';

interface Pending {
  entry: FinishServiceCheckEntry;
  resolve: (finished: FinishedServiceCheck) => void;
  reject: (err: unknown) => void;
}

/**
 * Gathers finished checks and sends them as one FinishServiceChecks call: when `maxBatch` are
 * waiting, or `lingerMs` after the first one. A batch refused for one of its entries is sent
 * again entry by entry, so only that check fails.
 */
export class FinishBatcher {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly scoring: PromiseClient<typeof ScoringServiceService>,
    private readonly maxBatch: number,
    private readonly lingerMs: number,
  ) {}

  finish(entry: FinishServiceCheckEntry): Promise<FinishedServiceCheck> {
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
    });
  }

  /** Sends what is waiting now, and waits for every batch in flight. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.all(this.sending);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const sent = this.send(batch);
    this.sending.add(sent);
    void sent.finally(() => this.sending.delete(sent));
  }

  private async send(batch: Pending[]): Promise<void> {
    try {
      const { checks } = await this.scoring.finishServiceChecks(
        { entries: batch.map((p) => p.entry) },
        { retry: true },
      );
      batch.forEach((p, i) => p.resolve(checks[i]!));
    } catch (err) {
      // Refused for one of its entries: each again on its own, so only that check fails.
      if (batch.length > 1 && isRequestRefusal(err)) {
        await Promise.all(batch.map((p) => this.send([p])));
      } else {
        batch.forEach((p) => p.reject(err));
      }
    }
  }
}
