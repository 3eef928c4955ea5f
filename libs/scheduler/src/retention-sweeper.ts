import type { Db } from '@checkwire/db';
import type { Clock } from './clock.js';
import { pruneFinished } from './retention.repository.js';
import { prunePresence } from './runner-presence.repository.js';

/** A runner not seen for this long is forgotten (its pools count as served by nobody anyway). */
const PRESENCE_MS = 24 * 3_600_000;

/** Rows deleted per statement, so a large backlog never holds long locks. */
const CHUNK = 10_000;

/**
 * Keeps the queues small: finished check tasks and settled deliveries older than the retention
 * are deleted (the scores and jobs they produced stay), in chunks, on whichever replica runs it
 * (deleting twice is harmless).
 */
export class RetentionSweeper {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly retentionMs: number,
  ) {}

  /** One chunk; returns how many rows went (0: nothing left to prune). */
  async runOnce(): Promise<number> {
    const runners = await prunePresence(this.db, PRESENCE_MS);
    if (this.retentionMs <= 0) return runners;
    const before = new Date(this.clock.now().getTime() - this.retentionMs);
    return runners + (await pruneFinished(this.db, before, CHUNK));
  }
}
