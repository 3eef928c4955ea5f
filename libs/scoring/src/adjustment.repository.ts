import type { AdjustmentRow, Db } from '@checkwire/db';

export async function insertAdjustment(
  db: Db,
  a: { teamId: number; points: number; reason: string; auditId: number },
): Promise<AdjustmentRow> {
  return db
    .insertInto('adjustment')
    .values({ team_id: a.teamId, points: a.points, reason: a.reason, audit_id: a.auditId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Every adjustment of enabled teams, oldest first. */
export async function listAdjustments(db: Db): Promise<AdjustmentRow[]> {
  return db.selectFrom('adjustment').selectAll().orderBy('id').execute();
}

/** A service's counted result in a round, locked until the transaction ends. */
export async function lockServiceRound(
  db: Db,
  serviceId: number,
  roundAt: Date,
): Promise<{ up: boolean; points: number } | undefined> {
  return db
    .selectFrom('service_round')
    .select(['up', 'points'])
    .where('service_id', '=', serviceId)
    .where('round_at', '=', roundAt)
    .forUpdate()
    .executeTakeFirst();
}

/** A score written by hand: the round's latest for the service, so its totals follow. */
export async function insertFlippedScore(
  db: Db,
  s: { serviceId: number; roundAt: Date; up: boolean; auditId: number; reason: string },
): Promise<{ up: boolean; points: number }> {
  const result = s.up ? 1 : 0;
  await db
    .insertInto('score')
    .values({
      service_id: s.serviceId,
      result,
      submitted_result: result,
      capped: false,
      error_msg: s.up ? null : `flipped by the white team: ${s.reason}`.slice(0, 4096),
      request_id: `flip:${s.auditId}`,
      round_at: s.roundAt,
    })
    .execute();
  const row = await lockServiceRound(db, s.serviceId, s.roundAt);
  return row!;
}
