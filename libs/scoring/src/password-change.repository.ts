import type { ExpressionBuilder } from 'kysely';
import type { Database, Db, PasswordChangeRow, PcrMode, PcrState } from '@checkwire/db';

/** A request with the name of its credential pool (null: a service's request). */
export type PcrRow = PasswordChangeRow & { pool_name: string | null };

/** The pool's name beside a password_change row (a scalar subquery: rows stay lockable). */
const poolName = (eb: ExpressionBuilder<Database, 'password_change'>) =>
  eb
    .selectFrom('credential_pool')
    .select('credential_pool.name')
    .whereRef('credential_pool.id', '=', 'password_change.pool_id')
    .as('pool_name');

export async function pcrPolicy(db: Db): Promise<{ mode: PcrMode; delaySeconds: number }> {
  const row = await db
    .selectFrom('competition')
    .select(['pcr_mode', 'pcr_delay_seconds'])
    .executeTakeFirst();
  return { mode: row?.pcr_mode ?? 'approval', delaySeconds: row?.pcr_delay_seconds ?? 0 };
}

export async function insertPcr(
  db: Db,
  r: {
    serviceId: number | null;
    poolId: number | null;
    teamId: number | null;
    username: string;
    password: string;
    applyAfter: Date | null;
    tokenId: number | null;
  },
): Promise<PcrRow> {
  return db
    .insertInto('password_change')
    .values({
      service_id: r.serviceId,
      pool_id: r.poolId,
      team_id: r.teamId,
      username: r.username,
      password: r.password,
      state: 'pending',
      apply_after: r.applyAfter,
      requested_by: r.tokenId,
    })
    .returningAll()
    .returning(poolName)
    .executeTakeFirstOrThrow();
}

export async function lockPcr(db: Db, id: number): Promise<PcrRow | undefined> {
  return db
    .selectFrom('password_change')
    .selectAll()
    .select(poolName)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Pending 'delay' requests whose time has come, locked (others skip them). */
export async function lockDuePcrs(db: Db, now: Date, limit: number): Promise<PcrRow[]> {
  return db
    .selectFrom('password_change')
    .selectAll()
    .select(poolName)
    .where('state', '=', 'pending')
    .where('apply_after', '<=', now)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function decidePcr(
  db: Db,
  id: number,
  state: Exclude<PcrState, 'pending'>,
  reason: string,
): Promise<PcrRow> {
  return db
    .updateTable('password_change')
    .set({ state, decided_at: new Date(), decision_reason: reason })
    .where('id', '=', id)
    .returningAll()
    .returning(poolName)
    .executeTakeFirstOrThrow();
}

/** The service's credentials become the request's: the next check logs in with them. */
export async function setServiceCredentials(
  db: Db,
  serviceId: number,
  username: string,
  password: string,
): Promise<void> {
  await db.updateTable('service').set({ username, password }).where('id', '=', serviceId).execute();
}

/**
 * The password of the pool's entries named `username` (an entry is known by its username; two
 * entries with one username are one account) becomes `password`; false when it has none.
 */
export async function setPoolEntryPassword(
  db: Db,
  poolId: number,
  username: string,
  password: string,
): Promise<boolean> {
  const { numUpdatedRows } = await db
    .updateTable('credential')
    .set({ password })
    .where('pool_id', '=', poolId)
    .where('username', '=', username)
    .executeTakeFirst();
  return numUpdatedRows > 0n;
}

/**
 * The pool, locked against a concurrent change of its entries or of which services use it
 * (those take a key-share lock on the row).
 */
export async function lockCredentialPool(
  db: Db,
  id: number,
): Promise<{ id: number; name: string } | undefined> {
  return db
    .selectFrom('credential_pool')
    .select(['id', 'name'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Every service that uses the pool (disabled ones too): its team, and whether it is checked. */
export async function poolUsers(
  db: Db,
  poolId: number,
): Promise<{ team_id: number; enabled: boolean }[]> {
  const rows = await db
    .selectFrom('service')
    .select(['team_id', 'disabled_at'])
    .where('credential_pool_id', '=', poolId)
    .execute();
  return rows.map((r) => ({ team_id: r.team_id, enabled: r.disabled_at === null }));
}

export async function poolHasEntry(db: Db, poolId: number, username: string): Promise<boolean> {
  const row = await db
    .selectFrom('credential')
    .select('position')
    .where('pool_id', '=', poolId)
    .where('username', '=', username)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listPcrs(
  db: Db,
  filter: { teamId?: number; state?: PcrState },
): Promise<PcrRow[]> {
  let query = db
    .selectFrom('password_change')
    .selectAll()
    .select(poolName)
    .orderBy('id', 'desc')
    .limit(1000);
  if (filter.teamId !== undefined) query = query.where('team_id', '=', filter.teamId);
  if (filter.state !== undefined) query = query.where('state', '=', filter.state);
  return query.execute();
}
