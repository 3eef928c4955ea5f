import { sql } from 'kysely';
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

/**
 * A score written by hand: the round's latest for the service, so its totals follow. Up is the
 * whole result (score_cap, or 1 without one): a flip never leaves a round partial.
 */
export async function insertFlippedScore(
  db: Db,
  s: {
    serviceId: number;
    roundAt: Date;
    up: boolean;
    scoreCap: number | null;
    auditId: number;
    reason: string;
  },
): Promise<{ up: boolean; points: number }> {
  const result = s.up ? Math.max(s.scoreCap ?? 1, 1) : 0;
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

/** Each team's points in a round, less its penalties. */
export async function roundTeamPoints(db: Db, roundAt: Date): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('service_round')
    .select(['team_id', sql<string>`sum(points - penalty)`.as('points')])
    .where('round_at', '=', roundAt)
    .groupBy('team_id')
    .execute();
  return new Map(rows.map((r) => [Number(r.team_id), Number(r.points)]));
}

/**
 * Counts every service's score in a round again under its points, cap and SLA rule now (the
 * migration's service_round_count, the score trigger's own), in service order. Returns how many.
 */
export async function recountRound(db: Db, roundAt: Date): Promise<number> {
  // The services first, in id order, as score writes and flips lock them: then their rounds.
  await sql`
    SELECT id FROM service
    WHERE id IN (SELECT service_id FROM service_round WHERE round_at = ${roundAt})
    ORDER BY id FOR UPDATE`.execute(db);
  const locked = await db
    .selectFrom('service_round')
    .select(['service_id', 'score_id'])
    .where('round_at', '=', roundAt)
    .orderBy('service_id')
    .forUpdate()
    .execute();
  if (locked.length === 0) return 0;
  await sql`
    SELECT service_round_count(
             sr.service_id, sr.round_at, sr.score_id,
             CASE WHEN sc.capped THEN sc.submitted_result ELSE sc.result END,
             EXISTS (SELECT 1 FROM service_error e WHERE e.score_id = sr.score_id))
    FROM service_round sr JOIN score sc ON sc.id = sr.score_id
    WHERE sr.round_at = ${roundAt} ORDER BY sr.service_id`.execute(db);
  return locked.length;
}

export async function roundExists(db: Db, roundAt: Date): Promise<boolean> {
  const row = await db
    .selectFrom('round')
    .select('started_at')
    .where('started_at', '=', roundAt)
    .executeTakeFirst();
  return row !== undefined;
}
