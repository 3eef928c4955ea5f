import type { SqlClient } from '@checkwire/db';
import { closeAbandonedRuns } from './check-run.repository.js';
import type { CheckTracing } from './check-tracing.js';
import type { StatusNotifier } from './status-notifier.js';
import { createLogger } from '@checkwire/log';

const LOG = createLogger('scoring');

export interface SweeperOptions {
  /** A run open longer than this is abandoned. */
  timeoutMs: number;
  /** How often to look. */
  intervalMs: number;
  /** Runs closed per statement. @default 100 */
  batch?: number;
}

/**
 * Closes runs whose check never said done: the spinner goes away and the check span is recorded
 * with status ERROR "abandoned". Every replica sweeps; each run is closed by exactly one of them.
 */
export class AbandonedRunSweeper {
  private readonly timer: NodeJS.Timeout;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: SqlClient,
    private readonly notifier: StatusNotifier,
    private readonly tracing: CheckTracing,
    private readonly options: SweeperOptions,
  ) {
    this.timer = setInterval(() => {
      this.sweeping = this.sweeping
        .then(async () => {
          await this.sweep();
        })
        .catch((err: unknown) => {
          LOG.failure('abandoned-run sweep failed', err);
        });
    }, options.intervalMs);
    this.timer.unref();
  }

  /** One pass: closes every run past the timeout, `batch` at a time. Returns how many. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const runs = await closeAbandonedRuns(
        this.client,
        this.options.timeoutMs,
        this.options.batch ?? 100,
      );
      for (const run of runs) {
        this.notifier.changed(run.service_id);
        await this.tracing.closed(run);
      }
      total += runs.length;
      if (runs.length < (this.options.batch ?? 100)) return total;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }
}
