import { sql } from 'kysely';
import type { CheckTaskRow, Db } from '@checkwire/db';
import type { Verdict } from './round.repository.js';

/** The round exists from when it is queued: scores count in it, on the scoreboard, from then. */
export async function recordRound(trx: Db, roundAt: Date): Promise<void> {
  await trx
    .insertInto('round')
    .values({ started_at: roundAt })
    .onConflict((oc) => oc.column('started_at').doNothing())
    .execute();
}

/**
 * Queues one check per service for the round (idempotent: a service has one task per round), in
 * its service's runner pool; returns the services this call queued.
 */
export async function enqueueRound(
  trx: Db,
  roundAt: Date,
  services: { id: number; runAfter: Date; pool: string }[],
): Promise<number[]> {
  if (services.length === 0) return [];
  const rows = await trx
    .insertInto('check_task')
    .values(
      services.map((s) => ({
        service_id: s.id,
        round_at: roundAt,
        run_after: s.runAfter,
        pool: s.pool,
      })),
    )
    .onConflict((oc) => oc.columns(['service_id', 'round_at']).doNothing())
    .returning('service_id')
    .execute();
  return rows.map((r) => r.service_id);
}

/** A limited check runner's reach (empty: any). */
export interface RunnerLimits {
  subtypes: readonly string[];
  serviceIds: readonly number[];
}

/**
 * Leases up to `limit` due checks of the runner's `pools` ('' is the default pool) that still have
 * attempts left (only checks of services within `limits`, when given: a limited runner is never
 * handed a check it may not score).
 */
export async function claimChecks(
  db: Db,
  c: {
    now: Date;
    limit: number;
    leaseMs: number;
    runner: string;
    pools: readonly string[];
    maxAttempts: number;
    limits?: RunnerLimits | undefined;
  },
): Promise<CheckTaskRow[]> {
  const limits = c.limits;
  return db
    .updateTable('check_task')
    .set((eb) => ({
      locked_until: new Date(c.now.getTime() + c.leaseMs),
      locked_by: c.runner,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('check_task')
        .select('id')
        .where('finished_at', 'is', null)
        .where('run_after', '<=', c.now)
        .where('attempts', '<', c.maxAttempts)
        .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', c.now)]))
        .where('pool', '=', (e) => e.fn.any(e.val([...c.pools])))
        .$if(limits !== undefined, (q) =>
          q.where('service_id', 'in', (eb) => {
            let within = eb.selectFrom('service').select('service.id');
            if (limits!.subtypes.length > 0) {
              within = within.where('service.subtype', '=', (e) =>
                e.fn.any(e.val([...limits!.subtypes])),
              );
            }
            if (limits!.serviceIds.length > 0) {
              within = within.where('service.id', '=', (e) =>
                e.fn.any(e.val([...limits!.serviceIds])),
              );
            }
            return within;
          }),
        )
        .orderBy('run_after')
        .orderBy('id')
        .limit(c.limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
}

export async function findTask(db: Db, id: number): Promise<CheckTaskRow | undefined> {
  return db.selectFrom('check_task').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The service (id, subtype) of each of these tasks, for a limited runner's permission check. */
export async function servicesOfTasks(
  db: Db,
  ids: number[],
): Promise<{ task_id: number; id: number; subtype: string }[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('check_task')
    .innerJoin('service', 'service.id', 'check_task.service_id')
    .select(['check_task.id as task_id', 'service.id', 'service.subtype'])
    .where('check_task.id', '=', (eb) => eb.fn.any(eb.val(ids)))
    .orderBy('check_task.id')
    .execute();
}

/**
 * Finishes these checks as scored, each with its verdict (null: not reported); a check already
 * finished is left as it was. Returns the ones this call finished, with their rounds.
 */
export async function completeTasks(
  trx: Db,
  completions: readonly { id: number; verdict: Verdict | null }[],
  now: Date,
  /** Only tasks this runner holds (or held last): another runner's claim is left alone. */
  runner?: string,
): Promise<{ id: number; round_at: Date }[]> {
  if (completions.length === 0) return [];
  const ids = completions.map((c) => c.id);
  const verdicts = completions.map((c) => c.verdict);
  const { rows } = await sql<{ id: number; round_at: Date }>`
    UPDATE check_task AS t
    SET finished_at = ${now}, outcome = 'scored', locked_until = NULL, verdict = c.verdict
    FROM unnest(${ids}::bigint[], ${verdicts}::text[]) AS c(id, verdict)
    WHERE t.id = c.id AND t.finished_at IS NULL
      AND (${runner ?? null}::text IS NULL OR t.locked_by = ${runner ?? null}::text)
    RETURNING t.id, t.round_at
  `.execute(trx);
  return rows;
}

/**
 * Back to the queue after `runAfter`, with the error kept; with `attempt`, only if that attempt
 * still holds it. Returns whether it was released.
 */
export async function releaseTask(
  db: Db,
  id: number,
  error: string,
  runAfter: Date,
  attempt?: number,
): Promise<boolean> {
  const row = await db
    .updateTable('check_task')
    .set({ run_after: runAfter, locked_until: null, last_error: error })
    .where('id', '=', id)
    .where('finished_at', 'is', null)
    .$if(attempt !== undefined, (q) => q.where('attempts', '=', attempt!))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Tasks out of attempts whose last lease ran out (or that were released after the last
 * attempt), locked for the caller's transaction: the scheduler scores them as failed.
 */
export async function exhaustedTasks(
  trx: Db,
  now: Date,
  maxAttempts: number,
  limit: number,
): Promise<CheckTaskRow[]> {
  return trx
    .selectFrom('check_task')
    .selectAll()
    .where('finished_at', 'is', null)
    .where('attempts', '>=', maxAttempts)
    .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', now)]))
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/**
 * Finished without a run: its verdict is an error of kind other (out of attempts), or no_runner
 * (nobody serves its pool).
 */
export async function giveUpTask(
  trx: Db,
  id: number,
  now: Date,
  verdict: 'other' | 'no_runner' = 'other',
): Promise<void> {
  await trx
    .updateTable('check_task')
    .set({ finished_at: now, outcome: 'gave_up', locked_until: null, verdict })
    .where('id', '=', id)
    .execute();
}
