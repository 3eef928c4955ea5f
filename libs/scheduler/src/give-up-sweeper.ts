import { checkRequestId } from '@checkwire/checks';
import type { Db } from '@checkwire/db';
import type { PromiseClient } from '@checkwire/grpc';
import type { ScoringServiceService } from '@checkwire/proto';
import { exhaustedTasks, giveUpTask } from './check-task.repository.js';
import type { Clock } from './clock.js';

export type ScoringClient = PromiseClient<typeof ScoringServiceService>;

/**
 * Checks that ran out of attempts end as a score, not as silence: 0, with the last error, under
 * the round's idempotency key (so a late runner's score and this one cannot both land).
 */
export class GiveUpSweeper {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly scoring: ScoringClient,
    private readonly maxAttempts: number,
  ) {}

  /** Scores what is exhausted; returns how many. */
  async runOnce(): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const now = this.clock.now();
      const tasks = await exhaustedTasks(trx, now, this.maxAttempts, 100);
      for (const task of tasks) {
        await this.scoring.insertServiceScore(
          {
            serviceId: task.service_id,
            result: 0,
            errorMsg: `check not run after ${task.attempts} attempts: ${task.last_error ?? 'the runner went away'}`,
            requestId: checkRequestId(task.service_id, task.round_at),
          },
          { retry: true },
        );
        await giveUpTask(trx, task.id, now);
      }
      return tasks.length;
    });
  }
}
