import { isLimitedRunner, requireMayScore, type Principal } from '@checkwire/auth';
import type { CheckTaskRow, Db } from '@checkwire/db';
import { NotFoundError } from '@checkwire/errors';
import { backoffMs } from './backoff.js';
import {
  claimChecks,
  completeTasks,
  findTask,
  releaseTask,
  servicesOfTasks,
} from './check-task.repository.js';
import type { CheckSettings } from './check-settings.js';
import type { Clock } from './clock.js';
import type { Verdict } from './round.repository.js';
import type { Rounds } from './round.service.js';
import { PresenceRecorder } from './presence-recorder.js';

/** A check its runner finished, and how it went (null: not said). */
export interface Completion {
  id: number;
  verdict: Verdict | null;
}

/**
 * The check queue's rules (CheckQueueService). A runner token limited to some subtypes or
 * services is handed only their checks, and may settle only those. Completing a round's last
 * check logs the round's summary (see Rounds).
 */
export class CheckQueue {
  private readonly presence: PresenceRecorder;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly settings: CheckSettings,
    private readonly rounds: Rounds,
    /** How recent a runner's claim must be for its pools to count as served (0: not judged). */
    livenessMs = 0,
  ) {
    this.presence = new PresenceRecorder(db, livenessMs);
  }

  /**
   * Completes what the runner finished, notes that it serves `pools` ('' is the default pool),
   * then leases up to `limit` due checks of those pools to it.
   */
  async claim(
    p: Principal,
    c: {
      runner: string;
      pools: readonly string[];
      limit: number;
      leaseMs: number;
      completed: readonly Completion[];
    },
  ): Promise<{ tasks: CheckTaskRow[]; timeoutMs: number }> {
    // Only checks this runner holds: a runner cannot settle (unscored) what another one is running.
    await this.complete(p, c.completed, c.runner);
    const now = this.clock.now();
    // A limited runner does not serve its pools: only the services its token names.
    if (!isLimitedRunner(p)) await this.presence.seen(c.runner, c.pools, now);
    const { maxAttempts, checkTimeoutMs } = await this.settings.current();
    const tasks = await claimChecks(this.db, {
      now,
      limit: c.limit,
      leaseMs: c.leaseMs,
      runner: c.runner,
      pools: c.pools,
      maxAttempts,
      limits: isLimitedRunner(p) ? p : undefined,
    });
    return { tasks, timeoutMs: checkTimeoutMs };
  }

  /** One check finished; NOT_FOUND when there is no such check. */
  async completeOne(p: Principal, id: number, verdict: Verdict | null): Promise<void> {
    const finished = await this.complete(p, [{ id, verdict }]);
    if (finished.length === 0 && (await findTask(this.db, id)) === undefined) {
      throw new NotFoundError('check task', id);
    }
  }

  /**
   * The check could not be run: back to the queue after a back-off, or (its last attempt) left
   * for the give-up sweeper. With `attempt`, only while that attempt still holds it.
   */
  async fail(
    p: Principal,
    id: number,
    error: string,
    attempt: number | undefined,
  ): Promise<{ willRetry: boolean; retryAt: Date | undefined }> {
    await this.requireMayTouch(p, [id]);
    const task = await findTask(this.db, id);
    if (task === undefined) throw new NotFoundError('check task', id);
    const failed = attempt ?? task.attempts;
    const willRetry = failed < (await this.settings.current()).maxAttempts;
    const retryAt = new Date(this.clock.now().getTime() + (willRetry ? backoffMs(failed) : 0));
    const released = await releaseTask(this.db, id, error, retryAt, attempt);
    // Claimed again since (this attempt's lease ran out): its new holder settles it.
    if (!released && attempt !== undefined) return { willRetry: true, retryAt: undefined };
    return { willRetry, retryAt: willRetry ? retryAt : undefined };
  }

  /**
   * Finishes these checks (the first mention of a check wins) and, in the same transaction,
   * claims the rounds that are now settled; logs those once committed. Refused (a limited
   * runner naming another's check): nothing is finished. Returns the ids this call finished.
   */
  private async complete(
    p: Principal,
    completions: readonly Completion[],
    runner?: string,
  ): Promise<number[]> {
    if (completions.length === 0) return [];
    const byId = new Map<number, Completion>();
    for (const c of completions) if (!byId.has(c.id)) byId.set(c.id, c);
    await this.requireMayTouch(p, [...byId.keys()]);
    const { finished, settled } = await this.db.transaction().execute(async (trx) => {
      const finished = await completeTasks(trx, [...byId.values()], this.clock.now(), runner);
      const settled = await this.rounds.settle(
        trx,
        finished.map((f) => f.round_at),
      );
      return { finished, settled };
    });
    this.rounds.report(settled);
    return finished.map((f) => f.id);
  }

  /** A limited runner may complete or release only checks of services it may score. */
  private async requireMayTouch(p: Principal, taskIds: number[]): Promise<void> {
    if (!isLimitedRunner(p)) return;
    for (const service of await servicesOfTasks(this.db, taskIds)) requireMayScore(p, service);
  }
}
