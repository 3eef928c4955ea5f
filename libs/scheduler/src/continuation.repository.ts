import { sql } from 'kysely';
import type { Db, LcContinuationRow } from '@checkwire/db';
import type { CheckedContinuation } from './continuation-limits.js';

/** What asked for some continuations, and for whom. */
export interface ContinuationSource {
  extensionName: string;
  sourceKey: string;
  org: { oid: string; jwt: string; ident: string };
  config: Record<string, unknown>;
}

/**
 * Stores the continuations of one answer, due `inDelaySec` after `now`; returns their ids in the
 * list's order. The same (extension, source key) stores each position once: sent again, it
 * stores nothing and answers the ids stored the first time (even once they were delivered).
 */
export async function storeContinuations(
  db: Db,
  source: ContinuationSource,
  list: readonly CheckedContinuation[],
  now: Date,
): Promise<string[]> {
  if (list.length === 0) return [];
  await db
    .insertInto('lc_continuation')
    .values(
      list.map((c, position) => {
        const due = new Date(now.getTime() + c.inDelaySec * 1000);
        return {
          extension_name: source.extensionName,
          source_key: source.sourceKey,
          position,
          oid: source.org.oid,
          jwt: source.org.jwt,
          ident: source.org.ident,
          config: JSON.stringify(source.config),
          action: c.action,
          state: JSON.stringify(c.state),
          due_at: due,
          run_after: due,
        };
      }),
    )
    .onConflict((oc) => oc.columns(['extension_name', 'source_key', 'position']).doNothing())
    .execute();
  const rows = await db
    .selectFrom('lc_continuation')
    .select(['id', 'position'])
    .where('extension_name', '=', source.extensionName)
    .where('source_key', '=', source.sourceKey)
    .where('position', '<', list.length)
    .orderBy('position')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Leases up to `limit` due continuations of these extensions (skipping ones another worker
 * holds), bumping `attempts`: the attempt number names the lease.
 */
export async function claimContinuations(
  db: Db,
  extensions: readonly string[],
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<LcContinuationRow[]> {
  if (extensions.length === 0) return [];
  return db
    .updateTable('lc_continuation')
    .set((eb) => ({
      locked_until: new Date(now.getTime() + leaseMs),
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('lc_continuation')
        .select('id')
        .where('finished_at', 'is', null)
        .where('run_after', '<=', now)
        .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', now)]))
        .where('extension_name', 'in', [...extensions])
        .orderBy('run_after')
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
}

/** A continuation as one lease holds it. */
export interface LeasedContinuation {
  id: string;
  attempts: number;
}

/**
 * Settles a continuation for good (delivered or given up), if this lease still holds it; false
 * when it does not (its lease ran out and another worker claimed it: that one settles it).
 */
export async function finishContinuation(
  db: Db,
  leased: LeasedContinuation,
  now: Date,
  outcome: 'delivered' | 'gave_up',
  error: string | null,
): Promise<boolean> {
  const result = await db
    .updateTable('lc_continuation')
    .set({ finished_at: now, outcome, locked_until: null, last_error: error })
    .where('id', '=', leased.id)
    .where('attempts', '=', leased.attempts)
    .where('finished_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Back to the queue after `runAfter`, if this lease still holds it. */
export async function retryContinuation(
  db: Db,
  leased: LeasedContinuation,
  error: string,
  runAfter: Date,
): Promise<void> {
  await db
    .updateTable('lc_continuation')
    .set({ run_after: runAfter, locked_until: null, last_error: error })
    .where('id', '=', leased.id)
    .where('attempts', '=', leased.attempts)
    .where('finished_at', 'is', null)
    .execute();
}

/** When the next continuation of these extensions not yet due comes due (none: undefined). */
export async function nextContinuationDue(
  db: Db,
  extensions: readonly string[],
  now: Date,
): Promise<Date | undefined> {
  if (extensions.length === 0) return undefined;
  const row = await db
    .selectFrom('lc_continuation')
    .select('run_after')
    .where('finished_at', 'is', null)
    .where('run_after', '>', now)
    .where('extension_name', 'in', [...extensions])
    .orderBy('run_after')
    .limit(1)
    .executeTakeFirst();
  return row?.run_after;
}

/** Extensions with continuations waiting that are not among `extensions` (at most 20 names). */
export async function waitingElsewhere(db: Db, extensions: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ extension_name: string }>`
    SELECT DISTINCT extension_name FROM lc_continuation
    WHERE finished_at IS NULL AND NOT (extension_name = ANY(${[...extensions]}::text[]))
    ORDER BY extension_name LIMIT 20
  `.execute(db);
  return rows.map((r) => r.extension_name);
}

/** An extension's continuations not yet settled, the soonest first (at most `limit`). */
export async function listWaiting(
  db: Db,
  extensionName: string,
  limit: number,
): Promise<LcContinuationRow[]> {
  return db
    .selectFrom('lc_continuation')
    .selectAll()
    .where('extension_name', '=', extensionName)
    .where('finished_at', 'is', null)
    .orderBy('run_after')
    .orderBy('id')
    .limit(limit)
    .execute();
}
