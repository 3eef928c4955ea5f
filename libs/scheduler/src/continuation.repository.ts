import { sql } from 'kysely';
import type { Db, LcContinuationRow } from '@checkwire/db';
import { EXTENSION_REGISTRY_PREFIX } from '@checkwire/lc-wire';
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

/** A continuation as claimed, with the org's JWT as the registry keeps it for its extension. */
export type ClaimedContinuation = LcContinuationRow & {
  /** The org's JWT recorded under `ext/<extension>` while it is installed there; else null. */
  registry_jwt: string | null;
  /** When the lease of its last delivery ran out, if it did (that delivery went unanswered). */
  lease_ran_out_at: Date | null;
};

/**
 * Leases up to `limit` due continuations of these extensions (skipping ones another worker
 * holds), bumping `claims` (which names the lease) and `attempts`. One still leased when claimed
 * (its lease ran out: the replica died, or never heard back) counts as unanswered.
 */
export async function claimContinuations(
  db: Db,
  extensions: readonly string[],
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<ClaimedContinuation[]> {
  if (extensions.length === 0) return [];
  const picked = db
    .selectFrom('lc_continuation as p')
    .select(['p.id as picked_id', 'p.locked_until as lease_ran_out_at'])
    .where('p.finished_at', 'is', null)
    .where('p.run_after', '<=', now)
    .where((w) => w.or([w('p.locked_until', 'is', null), w('p.locked_until', '<', now)]))
    .where('p.extension_name', 'in', [...extensions])
    .orderBy('p.run_after')
    .orderBy('p.id')
    .limit(limit)
    .forUpdate()
    .skipLocked();
  return db
    .updateTable('lc_continuation')
    .from(picked.as('picked'))
    .whereRef('lc_continuation.id', '=', 'picked.picked_id')
    .set((eb) => ({
      locked_until: new Date(now.getTime() + leaseMs),
      claims: eb('claims', '+', 1),
      attempts: eb('attempts', '+', 1),
      unanswered: sql<number>`unanswered + (locked_until IS NOT NULL)::int`,
      unreachable_since: sql<Date | null>`CASE WHEN locked_until IS NOT NULL
        THEN coalesce(unreachable_since, ${now}::timestamptz) ELSE unreachable_since END`,
    }))
    .returningAll('lc_continuation')
    .returning([
      'picked.lease_ran_out_at',
      sql<string | null>`(SELECT o.jwt FROM lc_org o
        WHERE o.service_name = ${EXTENSION_REGISTRY_PREFIX}::text || lc_continuation.extension_name
          AND o.oid = lc_continuation.oid AND o.uninstalled_at IS NULL)`.as('registry_jwt'),
    ])
    .execute();
}

/** A continuation as one lease holds it. */
export interface LeasedContinuation {
  id: string;
  claims: number;
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
    .where('claims', '=', leased.claims)
    .where('finished_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Back to the queue after `runAfter`, if this lease still holds it. `unreachableSince`: the
 * extension did not answer (counted in `unanswered`; the run of them began then); null: it
 * answered (with a retriable error), which ends any such run.
 */
export async function retryContinuation(
  db: Db,
  leased: LeasedContinuation,
  error: string,
  runAfter: Date,
  unreachableSince: Date | null,
): Promise<void> {
  await db
    .updateTable('lc_continuation')
    .set((eb) => ({
      run_after: runAfter,
      locked_until: null,
      last_error: error,
      unreachable_since: unreachableSince,
      unanswered: unreachableSince === null ? eb.ref('unanswered') : eb('unanswered', '+', 1),
    }))
    .where('id', '=', leased.id)
    .where('claims', '=', leased.claims)
    .where('finished_at', 'is', null)
    .execute();
}

/**
 * When the next waiting continuation of these extensions due after `after` comes due (none:
 * undefined); a time already past means at once.
 */
export async function nextContinuationDue(
  db: Db,
  extensions: readonly string[],
  after: Date,
): Promise<Date | undefined> {
  if (extensions.length === 0) return undefined;
  const row = await db
    .selectFrom('lc_continuation')
    .select('run_after')
    .where('finished_at', 'is', null)
    .where('run_after', '>', after)
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

/**
 * An extension's continuations not yet settled, the soonest to go out first; with
 * `includeSettled`, the settled ones after them, the newest first; at most `limit`.
 */
export async function listContinuations(
  db: Db,
  extensionName: string,
  limit: number,
  includeSettled: boolean,
): Promise<LcContinuationRow[]> {
  let query = db
    .selectFrom('lc_continuation')
    .selectAll()
    .where('extension_name', '=', extensionName);
  if (!includeSettled) query = query.where('finished_at', 'is', null);
  return query
    .orderBy(sql`finished_at IS NOT NULL`)
    .orderBy('finished_at', 'desc')
    .orderBy('run_after')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** One continuation by id (none: undefined). */
export async function findContinuation(db: Db, id: string): Promise<LcContinuationRow | undefined> {
  return db.selectFrom('lc_continuation').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Puts a given-up continuation back: due `now`, attempts and unanswered deliveries reset, its
 * last error kept; undefined when it was not given up (or does not exist). `claims` goes on
 * counting, so a lease from before cannot settle it.
 */
export async function requeueContinuation(
  db: Db,
  id: string,
  now: Date,
): Promise<LcContinuationRow | undefined> {
  return db
    .updateTable('lc_continuation')
    .set({
      finished_at: null,
      outcome: null,
      run_after: now,
      locked_until: null,
      attempts: 0,
      unanswered: 0,
      unreachable_since: null,
    })
    .where('id', '=', id)
    .where('outcome', '=', 'gave_up')
    .returningAll()
    .executeTakeFirst();
}
