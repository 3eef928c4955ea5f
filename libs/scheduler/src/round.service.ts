import type { Db } from '@checkwire/db';
import type { Logger, LogFields } from '@checkwire/log';
import { claimFiring } from './fire.repository.js';
import { isRoundSettled, lockRound, tallyRound } from './round.repository.js';
import { describeRound, roundName, summarize, type RoundSummary } from './round-summary.js';

/** The firing that says a round's summary was logged (one per round, across replicas). */
const REPORTED = 'checks:reported';

/**
 * What the scheduler says about check rounds: one line when a round is queued, and one when it
 * is settled (each of its checks completed, skipped or given up), each once across replicas.
 */
export class Rounds {
  /**
   * @param json whether lines carry their numbers as fields too (LOG_FORMAT=json; in text the
   *   sentence already says them)
   */
  constructor(
    private readonly log: Logger,
    private readonly json: boolean,
    private readonly replicaId: string,
  ) {}

  /**
   * Call in the transaction that just finished checks of these rounds, before it commits: the
   * rounds this made settled, claimed for this caller (the "reported" firing, inserted in the
   * same transaction; a round is claimed once, even when checks are added to it later). Log them
   * with `report` after the commit.
   */
  async settle(trx: Db, roundAts: readonly Date[]): Promise<RoundSummary[]> {
    const distinct = [...new Set(roundAts.map((d) => d.getTime()))].sort((a, b) => a - b);
    const settled: RoundSummary[] = [];
    // In order, so two transactions never wait for each other's round locks.
    for (const ms of distinct) {
      const roundAt = new Date(ms);
      await lockRound(trx, roundAt);
      if (!(await isRoundSettled(trx, roundAt))) continue;
      const summary = summarize(roundAt, await tallyRound(trx, roundAt));
      // (No checks: a task written by hand with a round time finer than milliseconds.)
      if (summary.checks === 0) continue;
      if (await claimFiring(trx, REPORTED, roundAt, this.replicaId)) settled.push(summary);
    }
    return settled;
  }

  /** Logs what `settle` returned, once its transaction committed. */
  report(settled: readonly RoundSummary[]): void {
    for (const s of settled) {
      const { message, fields } = describeRound(s);
      this.info(message, fields);
    }
  }

  started(roundAt: Date, checks: number): void {
    // An empty round (no internal service yet) says nothing: quiet by default.
    if (checks === 0) return;
    const round = roundName(roundAt);
    this.info(`round ${round} queued: ${checks} check${checks === 1 ? '' : 's'}`, {
      round,
      checks,
    });
  }

  /**
   * Services created or brought back up since the round started, queued into it (debug: a batch
   * of new services would otherwise be a line per tick).
   */
  joined(roundAt: Date, serviceIds: readonly number[]): void {
    const round = roundName(roundAt);
    const n = serviceIds.length;
    const named = serviceIds.slice(0, 10).join(', ') + (n > 10 ? `, … (${n - 10} more)` : '');
    this.log.debug(
      `round ${round}: ${n} more check${n === 1 ? '' : 's'} queued (new or back up: service${
        n === 1 ? '' : 's'
      } ${named})`,
      this.json ? { round, checks: n } : undefined,
    );
  }

  private info(message: string, fields: LogFields): void {
    this.log.info(message, this.json ? fields : undefined);
  }
}
