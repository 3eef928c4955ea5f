import type { Db } from '@checkwire/db';
import { recordPresence } from './runner-presence.repository.js';

/** How often one runner's presence is written while it keeps claiming with the same pools. */
const REFRESH_MS = 5000;
/** A quarter of the liveness window at most: a claiming runner never looks gone. */
const REFRESHES_PER_WINDOW = 4;
/** Runners remembered per replica (a flood of invented runner ids cannot grow it further). */
const MAX_RUNNERS = 10_000;

/**
 * Records which runners claim checks for which pools, at most once per refresh per runner
 * (claims come many times a second under load; liveness is judged over tens of seconds).
 */
export class PresenceRecorder {
  private readonly written = new Map<string, { pools: string; at: number }>();
  private readonly refreshMs: number;

  /** `livenessMs`: how recent a presence must be to count (0: liveness is not judged). */
  constructor(
    private readonly db: Db,
    livenessMs: number,
  ) {
    this.refreshMs =
      livenessMs > 0 ? Math.min(REFRESH_MS, livenessMs / REFRESHES_PER_WINDOW) : REFRESH_MS;
  }

  async seen(runner: string, pools: readonly string[], now: Date): Promise<void> {
    const key = pools.join('\n');
    const last = this.written.get(runner);
    if (last !== undefined && last.pools === key && now.getTime() - last.at < this.refreshMs)
      return;
    await recordPresence(this.db, runner, pools);
    if (this.written.size >= MAX_RUNNERS) this.written.clear();
    this.written.set(runner, { pools: key, at: now.getTime() });
  }
}
