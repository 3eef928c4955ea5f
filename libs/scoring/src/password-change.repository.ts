import type { Db, PasswordChangeRow, PcrMode, PcrState } from '@checkwire/db';

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
    serviceId: number;
    teamId: number;
    username: string;
    password: string;
    applyAfter: Date | null;
    tokenId: number | null;
  },
): Promise<PasswordChangeRow> {
  return db
    .insertInto('password_change')
    .values({
      service_id: r.serviceId,
      team_id: r.teamId,
      username: r.username,
      password: r.password,
      state: 'pending',
      apply_after: r.applyAfter,
      requested_by: r.tokenId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function lockPcr(db: Db, id: number): Promise<PasswordChangeRow | undefined> {
  return db
    .selectFrom('password_change')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Pending 'delay' requests whose time has come, locked (others skip them). */
export async function lockDuePcrs(db: Db, now: Date, limit: number): Promise<PasswordChangeRow[]> {
  return db
    .selectFrom('password_change')
    .selectAll()
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
): Promise<PasswordChangeRow> {
  return db
    .updateTable('password_change')
    .set({ state, decided_at: new Date(), decision_reason: reason })
    .where('id', '=', id)
    .returningAll()
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

export async function listPcrs(
  db: Db,
  filter: { teamId?: number; state?: PcrState },
): Promise<PasswordChangeRow[]> {
  let query = db.selectFrom('password_change').selectAll().orderBy('id', 'desc').limit(1000);
  if (filter.teamId !== undefined) query = query.where('team_id', '=', filter.teamId);
  if (filter.state !== undefined) query = query.where('state', '=', filter.state);
  return query.execute();
}
