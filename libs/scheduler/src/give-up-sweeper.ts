import { checkRequestId } from '@checkwire/checks';
import type { CheckTaskRow, Db } from '@checkwire/db';
import { describeCallError, isRequestRefusal, type PromiseClient } from '@checkwire/grpc';
import {
  ServiceErrorKind,
  type FinishServiceCheckEntry,
  type ScoringServiceService,
} from '@checkwire/proto';
import { createLogger } from '@checkwire/log';
import { exhaustedTasks, giveUpTask } from './check-task.repository.js';
import type { Clock } from './clock.js';
import type { CheckSettings } from './check-settings.js';
import type { Rounds } from './round.service.js';

const LOG = createLogger('scheduler');

export type ScoringClient = PromiseClient<typeof ScoringServiceService>;

/**
 * A score of 0 with this error, keyed by the task's round: a late runner's score and this one
 * cannot both land.
 */
export function givenUpEntry(
  task: CheckTaskRow,
  kind: ServiceErrorKind,
  why: string,
): FinishServiceCheckEntry {
  const message = why.slice(0, 4096);
  return {
    serviceId: task.service_id,
    // Its own run, if a runner opened one, is not known here: none is linked or closed (a later
    // check may be using the service's open run; a stale one is closed as abandoned).
    checkRunId: 0,
    result: 0,
    errorMsg: message,
    requestId: checkRequestId(task.service_id, task.round_at),
    roundTime: task.round_at,
    error: { kind, message, detail: '' },
  };
}

/** Which tasks a sweeper gives up on, and what their scores say. */
export interface GiveUpRule {
  /** Up to 100 tasks to give up on now, locked for the caller's transaction. */
  find(trx: Db, now: Date): Promise<CheckTaskRow[]>;
  /** Their scores (0 with a ServiceError), in the same order. */
  entries(db: Db, tasks: CheckTaskRow[]): Promise<FinishServiceCheckEntry[]>;
  /** Their verdict in the round's summary. */
  verdict: 'other' | 'no_runner';
}

/** Checks that ran out of attempts: kind other, with the last error. */
export function exhaustedRule(settings: CheckSettings): GiveUpRule {
  return {
    verdict: 'other',
    find: async (trx, now) => exhaustedTasks(trx, now, (await settings.current()).maxAttempts, 100),
    entries: (_db, tasks) =>
      Promise.resolve(
        tasks.map((task) =>
          givenUpEntry(
            task,
            ServiceErrorKind.SERVICE_ERROR_KIND_OTHER,
            `check not run after ${task.attempts} attempts: ${task.last_error ?? 'the runner went away'}`,
          ),
        ),
      ),
  };
}

/**
 * Checks its rule gives up on (out of attempts; nobody serves their pool) end as a score, not as
 * silence: 0, with a ServiceError saying why, in one FinishServiceChecks call per sweep.
 * A task the scoring server refuses for good (its service is gone, say) is given up without a
 * score and logged, so it never blocks the tasks behind it; while scoring is unreachable, nothing
 * is given up and the next sweep tries again.
 */
export class GiveUpSweeper {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly scoring: ScoringClient,
    private readonly rule: GiveUpRule,
    private readonly rounds: Rounds,
  ) {}

  /**
   * Scores what is exhausted; returns how many tasks it settled. A round whose last check this
   * gives up on (its runner died) is logged as settled here.
   */
  async runOnce(): Promise<number> {
    const { n, settled } = await this.db.transaction().execute(async (trx) => {
      const now = this.clock.now();
      const tasks = await this.rule.find(trx, now);
      if (tasks.length === 0) return { n: 0, settled: [] };
      const entries = await this.rule.entries(trx, tasks);
      try {
        await this.scoring.finishServiceChecks({ entries }, { retry: true });
      } catch (err) {
        if (!isRequestRefusal(err)) throw err;
        // One task spoiled the batch: settle them one by one.
        for (const [i, task] of tasks.entries()) await this.one(task, entries[i]!);
      }
      for (const task of tasks) await giveUpTask(trx, task.id, now, this.rule.verdict);
      const settled = await this.rounds.settle(
        trx,
        tasks.map((t) => t.round_at),
      );
      return { n: tasks.length, settled };
    });
    this.rounds.report(settled);
    return n;
  }

  private async one(task: CheckTaskRow, entry: FinishServiceCheckEntry): Promise<void> {
    try {
      await this.scoring.finishServiceChecks({ entries: [entry] }, { retry: true });
    } catch (err) {
      if (!isRequestRefusal(err)) throw err;
      const why = describeCallError(err);
      LOG.warn(`gave up check ${task.id} of service ${task.service_id} unscored: ${why}`);
    }
  }
}
