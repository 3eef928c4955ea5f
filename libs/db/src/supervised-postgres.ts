import type { Logger } from '@checkwire/log';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgresOptions,
  type RunningPostgres,
} from './embedded-postgres.js';

/** Tries to bring PostgreSQL back this many times in a row before giving up. */
const MAX_TRIES = 10;

/**
 * The embedded PostgreSQL, started again (same folder, same port) when it dies without being
 * asked to: the apps reconnect by themselves once it is back. A restart can need a few tries
 * while the dead postmaster's backends let go of its shared memory.
 */
export class SupervisedPostgres {
  private alive = true;
  private stopping = false;

  private constructor(
    private current: RunningPostgres,
    private readonly options: EmbeddedPostgresOptions & { port: number },
    private readonly log: Logger,
  ) {
    this.watch();
  }

  static async start(options: EmbeddedPostgresOptions, log: Logger): Promise<SupervisedPostgres> {
    const running = await startEmbeddedPostgres(options);
    return new SupervisedPostgres(running, { ...options, port: running.port }, log);
  }

  get url(): string {
    return this.current.url;
  }

  get pid(): number {
    return this.current.pid;
  }

  get port(): number {
    return this.options.port;
  }

  /** Resolves once it runs again after `pid` died (at once if it already does). */
  async restartedAfter(pid: number): Promise<void> {
    while (this.current.pid === pid || !this.alive) {
      if (this.stopping) throw new Error('PostgreSQL is stopping');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.alive) await this.current.stop();
  }

  private watch(): void {
    const watched = this.current;
    void watched.exited.then(async () => {
      this.alive = false;
      if (this.stopping || watched !== this.current) return;
      this.log.warn(`PostgreSQL (pid ${watched.pid}) exited unexpectedly; restarting it`);
      const started = Date.now();
      for (let attempt = 1; attempt <= MAX_TRIES && !this.stopping; attempt++) {
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** (attempt - 1))));
        try {
          this.current = await startEmbeddedPostgres(this.options);
          this.alive = true;
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          this.log.info(`PostgreSQL is back on port ${this.options.port} after ${seconds} s`);
          this.watch();
          return;
        } catch (err) {
          const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
          this.log.warn(`PostgreSQL did not start again (try ${attempt} of ${MAX_TRIES}): ${why}`);
        }
      }
      if (!this.stopping) {
        this.log.error(
          `PostgreSQL could not be started again after ${MAX_TRIES} tries; the apps answer ` +
            'UNAVAILABLE until it is back. Stop npm start and look at the data folder.',
        );
      }
    });
  }
}
