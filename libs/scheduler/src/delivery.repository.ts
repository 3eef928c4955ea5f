import { sql } from 'kysely';
import type { Db, LcDeliveryRow } from '@checkwire/db';
import type { Scope } from './periods.js';

/**
 * Queues one periodic callback per target: one globally, one per installed org, one per sensor of
 * an installed org. One INSERT … SELECT, so 100,000 sensors cost one statement.
 */
export async function enqueueDeliveries(
  trx: Db,
  d: { serviceName: string; etype: string; scope: Scope; dueAt: Date },
): Promise<number> {
  const base = { service_name: d.serviceName, etype: d.etype, due_at: d.dueAt, run_after: d.dueAt };
  if (d.scope === 'global') {
    await trx.insertInto('lc_delivery').values(base).execute();
    return 1;
  }
  const orgs = trx
    .selectFrom('lc_org')
    .where('lc_org.service_name', '=', d.serviceName)
    .where('lc_org.uninstalled_at', 'is', null);
  const result =
    d.scope === 'org'
      ? await trx
          .insertInto('lc_delivery')
          .columns(['service_name', 'etype', 'due_at', 'run_after', 'oid'])
          .expression(
            orgs.select([
              sql.lit(d.serviceName).as('service_name'),
              sql.lit(d.etype).as('etype'),
              sql<Date>`${d.dueAt}::timestamptz`.as('due_at'),
              sql<Date>`${d.dueAt}::timestamptz`.as('run_after'),
              'lc_org.oid',
            ]),
          )
          .executeTakeFirst()
      : await trx
          .insertInto('lc_delivery')
          .columns(['service_name', 'etype', 'due_at', 'run_after', 'oid', 'sid'])
          .expression(
            orgs
              .innerJoin('lc_sensor', (j) =>
                j
                  .onRef('lc_sensor.service_name', '=', 'lc_org.service_name')
                  .onRef('lc_sensor.oid', '=', 'lc_org.oid'),
              )
              .select([
                sql.lit(d.serviceName).as('service_name'),
                sql.lit(d.etype).as('etype'),
                sql<Date>`${d.dueAt}::timestamptz`.as('due_at'),
                sql<Date>`${d.dueAt}::timestamptz`.as('run_after'),
                'lc_org.oid',
                'lc_sensor.sid',
              ]),
          )
          .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * The ids of the first `limit` due deliveries no lease holds, locked (skipping rows another
 * worker is locking): in the ready index's order, which it answers without a sort once the
 * planner's statistics know the queue's size (see planner-statistics.repository.ts).
 */
export function readyDeliveryIds(db: Db, now: Date, limit: number) {
  return db
    .selectFrom('lc_delivery')
    .select('id')
    .where('done_at', 'is', null)
    .where('run_after', '<=', now)
    .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', now)]))
    .orderBy('run_after')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked();
}

/** Leases up to `limit` due deliveries (skipping ones another worker holds). */
export async function claimDeliveries(
  db: Db,
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<(LcDeliveryRow & { jwt: string })[]> {
  const leased = await db
    .updateTable('lc_delivery')
    .set((eb) => ({
      locked_until: new Date(now.getTime() + leaseMs),
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', 'in', readyDeliveryIds(db, now, limit))
    .returningAll()
    .execute();
  if (leased.length === 0) return [];
  const jwts = await db
    .selectFrom('lc_org')
    .select(['service_name', 'oid', 'jwt'])
    .where('oid', 'in', [...new Set(leased.map((d) => d.oid))])
    .execute();
  const jwtOf = new Map(jwts.map((j) => [`${j.service_name}\u0000${j.oid}`, j.jwt]));
  return leased.map((d) => ({ ...d, jwt: jwtOf.get(`${d.service_name}\u0000${d.oid}`) ?? '' }));
}

/** A delivery as one lease holds it: `attempts` grows with every claim, so it names the lease. */
export interface LeasedDelivery {
  id: number;
  attempts: number;
}

/**
 * Marks deliveries done, but only those still held by the lease that delivered them: one whose
 * lease ran out and was claimed again elsewhere is left to its new holder.
 */
export async function finishDeliveries(
  db: Db,
  leased: LeasedDelivery[],
  now: Date,
  error: string | null = null,
): Promise<void> {
  if (leased.length === 0) return;
  await sql`
    UPDATE lc_delivery d SET done_at = ${now}, locked_until = NULL, last_error = ${error}
    FROM unnest(${leased.map((l) => l.id)}::bigint[], ${leased.map((l) => l.attempts)}::int[])
      AS l(id, attempts)
    WHERE d.id = l.id AND d.attempts = l.attempts AND d.done_at IS NULL
  `.execute(db);
}

/** Back to the queue after `runAfter`, if this lease still holds it. */
export async function retryDelivery(
  db: Db,
  leased: LeasedDelivery,
  error: string,
  runAfter: Date,
): Promise<void> {
  await db
    .updateTable('lc_delivery')
    .set({ run_after: runAfter, locked_until: null, last_error: error })
    .where('id', '=', leased.id)
    .where('attempts', '=', leased.attempts)
    .where('done_at', 'is', null)
    .execute();
}

/** Deliveries of a due time still waiting (for tests and the benchmark). */
export async function countUndelivered(db: Db): Promise<number> {
  const row = await db
    .selectFrom('lc_delivery')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('done_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
