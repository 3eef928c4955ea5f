import type { Db } from '@checkwire/db';
import type { Clock } from './clock.js';
import { readCompetitionSettings } from './competition-settings.repository.js';

/** How checks are scheduled right now. */
export interface EffectiveCheckSettings {
  /** Rounds start every this many ms (0: no rounds). */
  roundIntervalMs: number;
  /** A service's check starts up to this much into its round. */
  roundJitterMs: number;
  /** Attempts to run a check before it is given up on. */
  maxAttempts: number;
  /** A check's time limit for the runner (0: the runner's own). */
  checkTimeoutMs: number;
}

/** How long settings read from the database are used before they are read again. */
const CACHE_MS = 1000;

/**
 * The scheduler's own settings (its config), overridden by what the competition file set
 * (ApplyCompetition's `checks`): an interval set there brings its jitter along; retries set
 * there (1–10) make the attempts; a timeout set there is handed to runners with each check.
 * Read at most once a second, so a new file takes effect by the next round.
 */
export class CheckSettings {
  private cached: { at: number; value: EffectiveCheckSettings } | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly defaults: EffectiveCheckSettings,
  ) {}

  async current(): Promise<EffectiveCheckSettings> {
    const now = this.clock.now().getTime();
    if (this.cached !== undefined && now - this.cached.at < CACHE_MS) return this.cached.value;
    const row = await readCompetitionSettings(this.db);
    const d = this.defaults;
    const value: EffectiveCheckSettings =
      row === undefined
        ? d
        : {
            roundIntervalMs:
              row.check_interval_seconds > 0
                ? row.check_interval_seconds * 1000
                : d.roundIntervalMs,
            roundJitterMs:
              row.check_interval_seconds > 0 ? row.check_jitter_seconds * 1000 : d.roundJitterMs,
            maxAttempts: row.check_retries > 0 ? row.check_retries + 1 : d.maxAttempts,
            checkTimeoutMs:
              row.check_timeout_seconds > 0 ? row.check_timeout_seconds * 1000 : d.checkTimeoutMs,
          };
    this.cached = { at: now, value };
    return value;
  }
}
