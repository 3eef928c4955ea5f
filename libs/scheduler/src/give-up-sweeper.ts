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

function entryOf(task: CheckTaskRow): FinishServiceCheckEntry {
  const message = `check not run after ${task.attempts} attempts: ${task.last_error ?? 'the runner went away'}`;
  return {
    serviceId: task.service_id,
    // Its own run, if a runner opened one, is not known here: none is linked or closed (a later
    // check may be using the service's open run; a stale one is closed as abandoned).
    checkRunId: 0,
    result: 0,
    errorMsg: message.slice(0, 4096),
    // The round's key: a late runner's score and this one cannot both land.
    requestId: checkRequestId(task.service_id, task.round_at),
    roundTime: task.round_at,
    error: {
      kind: ServiceErrorKind.SERVICE_ERROR_KIND_OTHER,
      message: message.slice(0, 4096),
      detail: '',
    },
  };
}

/**
 * Checks that ran out of attempts end as a score, not as silence: 0, with a ServiceError saying
 * why, in one FinishServiceChecks call per sweep.
 * A task the scoring server refuses for good (its service is gone, say) is given up without a
 * score and logged, so it never blocks the tasks behind it; while scoring is unreachable, nothing
 * is given up and the next sweep tries again.
 */
export class GiveUpSweeper {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly scoring: ScoringClient,
    private readonly settings: CheckSettings,
    private readonly rounds: Rounds,
  ) {}

  /**
   * Scores what is exhausted; returns how many tasks it settled. A round whose last check this
   * gives up on (its runner died) is logged as settled here.
   */
  async runOnce(): Promise<number> {
    const { maxAttempts } = await this.settings.current();
    const { n, settled } = await this.db.transaction().execute(async (trx) => {
      const now = this.clock.now();
      const tasks = await exhaustedTasks(trx, now, maxAttempts, 100);
      if (tasks.length === 0) return { n: 0, settled: [] };
      try {
        await this.scoring.finishServiceChecks({ entries: tasks.map(entryOf) }, { retry: true });
      } catch (err) {
        if (!isRequestRefusal(err)) throw err;
        // One task spoiled the batch: settle them one by one.
        for (const task of tasks) await this.one(task);
      }
      for (const task of tasks) await giveUpTask(trx, task.id, now);
      const settled = await this.rounds.settle(
        trx,
        tasks.map((t) => t.round_at),
      );
      return { n: tasks.length, settled };
    });
    this.rounds.report(settled);
    return n;
  }

  private async one(task: CheckTaskRow): Promise<void> {
    try {
      await this.scoring.finishServiceChecks({ entries: [entryOf(task)] }, { retry: true });
    } catch (err) {
      if (!isRequestRefusal(err)) throw err;
      const why = describeCallError(err);
      LOG.warn(`gave up check ${task.id} of service ${task.service_id} unscored: ${why}`);
    }
  }
}
