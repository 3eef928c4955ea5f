import type { Principal } from '@checkwire/auth';
import type { NotificationListener } from '@checkwire/db';
import { createLogger } from '@checkwire/log';
import type { Scoreboard, ScoreboardQueries } from './scoreboard.service.js';

const LOG = createLogger('scoring');

export interface ScoreboardFeedOptions {
  /** At most one refresh per this many ms, however many changes arrive. @default 1000 */
  minIntervalMs?: number;
  /**
   * A refresh at least this often while anyone watches: what another replica changed without a
   * service changing (an adjustment) shows within it. @default 5000
   */
  tickMs?: number;
}

interface Watcher {
  readonly key: string;
  readonly principal: Principal;
  readonly recent: number;
  /** What was last handed to the stream, serialised: an unchanged board is not sent again. */
  sent: string;
  /** The newest board not yet taken by the stream (a slow reader skips to it). */
  latest: Scoreboard | undefined;
  wake: (() => void) | undefined;
}

/**
 * Live scoreboards for WatchScoreboard. One refresh loop per replica, not per stream: it wakes
 * on any service's change (the status channel: every score written, by any replica), on this
 * replica's own adjustments (`poke`), and on a slow tick; it reads each distinct view (role,
 * team, recent rounds) once and hands each stream the newest board only when it differs from the
 * one it last sent.
 */
export class ScoreboardFeed {
  private readonly watchers = new Set<Watcher>();
  private readonly minIntervalMs: number;
  private readonly tickMs: number;
  private timer: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private lastRefresh = 0;
  private refreshing: Promise<void> = Promise.resolve();

  constructor(
    private readonly queries: ScoreboardQueries,
    listener: NotificationListener,
    options: ScoreboardFeedOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.tickMs = options.tickMs ?? 5000;
    listener.on('notification', () => this.poke());
    listener.on('ready', () => this.poke());
  }

  /** Something on the scoreboard may have changed: refresh soon (coalesced). */
  poke(): void {
    if (this.watchers.size === 0 || this.timer !== undefined) return;
    const wait = Math.max(0, this.lastRefresh + this.minIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refreshing = this.refreshing.then(() => this.refresh());
    }, wait);
  }

  /** The board now, then each different one, until `signal` aborts. */
  async *watch(
    principal: Principal,
    recent: number,
    signal: AbortSignal,
  ): AsyncGenerator<Scoreboard> {
    const watcher: Watcher = {
      // Callers with one view share one read: the public, or one token's.
      key: `${principal.role === 'public' ? 'public' : principal.tokenId}:${recent}`,
      principal,
      recent,
      sent: '',
      latest: undefined,
      wake: undefined,
    };
    const onAbort = () => watcher.wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const first = await this.queries.get(principal, recent); // refuses a bad `recent`
      watcher.sent = JSON.stringify(first);
      this.add(watcher);
      // A change made while the first board was read announced itself to no one: look again.
      this.poke();
      yield first;
      while (!signal.aborted) {
        if (watcher.latest === undefined) {
          await new Promise<void>((resolve) => (watcher.wake = resolve));
          watcher.wake = undefined;
          continue;
        }
        const board = watcher.latest;
        watcher.latest = undefined;
        yield board;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.remove(watcher);
    }
  }

  /** Ends every stream's wait (shutdown): they finish once their callers cancel. */
  close(): void {
    clearTimeout(this.timer);
    clearInterval(this.ticker);
    this.timer = undefined;
    this.ticker = undefined;
    for (const w of this.watchers) w.wake?.();
    this.watchers.clear();
  }

  private add(w: Watcher): void {
    this.watchers.add(w);
    this.ticker ??= setInterval(() => this.poke(), this.tickMs);
  }

  private remove(w: Watcher): void {
    this.watchers.delete(w);
    if (this.watchers.size > 0) return;
    clearInterval(this.ticker);
    clearTimeout(this.timer);
    this.ticker = undefined;
    this.timer = undefined;
  }

  private async refresh(): Promise<void> {
    this.lastRefresh = Date.now();
    const views = new Map<string, string>();
    const boards = new Map<string, Scoreboard>();
    for (const w of [...this.watchers]) {
      if (!views.has(w.key)) {
        try {
          const board = await this.queries.get(w.principal, w.recent);
          boards.set(w.key, board);
          views.set(w.key, JSON.stringify(board));
        } catch (err) {
          // The next change or tick tries again; the streams keep what they have.
          LOG.failure('scoreboard refresh failed', err);
          return;
        }
      }
      const text = views.get(w.key)!;
      if (text === w.sent) continue;
      w.sent = text;
      w.latest = boards.get(w.key);
      w.wake?.();
    }
  }
}
