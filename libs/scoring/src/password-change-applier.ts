import { createLogger } from '@checkwire/log';
import type { PasswordChanges } from './password-change.service.js';

const LOG = createLogger('scoring');

/**
 * Applies password change requests whose delay ran out (the 'delay' policy), every
 * `intervalMs`. Every replica runs one; a request is applied once (rows locked, others skipped).
 */
export class PasswordChangeApplier {
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();

  constructor(changes: PasswordChanges, intervalMs: number) {
    this.timer = setInterval(() => {
      this.running = this.running
        .then(async () => {
          await changes.applyDue();
        })
        .catch((err: unknown) => {
          LOG.failure('applying due password changes failed', err);
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
