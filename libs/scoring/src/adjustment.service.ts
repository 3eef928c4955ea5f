import type { Principal } from '@checkwire/auth';
import type { AdjustmentRow, AuditLogRow, Db } from '@checkwire/db';
import { InvalidArgumentError, NotFoundError, nonEmpty, requireId, time } from '@checkwire/errors';
import {
  insertAdjustment,
  insertFlippedScore,
  lockServiceRound,
  recountRound,
  roundExists,
  roundTeamPoints,
} from './adjustment.repository.js';
import { actorToken } from './actor.js';
import { appendAudit, listAudit } from './audit.repository.js';
import { decodePageToken, encodePageToken, pageSize } from './page-token.js';
import { teamTotals } from './scoreboard.repository.js';
import { lockService } from './service.repository.js';
import { findTeam } from './team.repository.js';

const MAX_REASON = 1000;
const MAX_ADJUSTMENT = 1_000_000;

/**
 * The white team's corrections, each with its audit entry, in one transaction. `changed` is told
 * after each commits (the live scoreboard).
 */
export class Adjustments {
  constructor(
    private readonly db: Db,
    private readonly changed: () => void = () => undefined,
  ) {}

  async adjustPoints(
    p: Principal,
    teamId: number,
    points: number,
    reason: string,
  ): Promise<{ adjustment: AdjustmentRow; audit: AuditLogRow }> {
    requireId('team_id', teamId);
    if (!Number.isInteger(points) || points === 0 || Math.abs(points) > MAX_ADJUSTMENT) {
      throw new InvalidArgumentError(
        'points',
        `must be a non-zero whole number within ±${MAX_ADJUSTMENT}, got ${points}`,
      );
    }
    const why = nonEmpty('reason', reason, MAX_REASON);
    const done = await this.db.transaction().execute(async (trx) => {
      const team = await findTeam(trx, teamId);
      const before = await teamAdjustmentTotal(trx, teamId);
      const audit = await appendAudit(trx, {
        tokenId: actorToken(p),
        action: 'adjust_points',
        subject: `team ${team.id} (${team.name})`,
        reason: why,
        before: { adjustment_points: before },
        after: { adjustment_points: before + points, points },
      });
      const adjustment = await insertAdjustment(trx, {
        teamId,
        points,
        reason: why,
        auditId: audit.id,
      });
      return { adjustment, audit };
    });
    this.changed();
    return done;
  }

  async flipCheckResult(
    p: Principal,
    serviceId: number,
    roundAt: Date | undefined,
    reason: string,
  ): Promise<{ up: boolean; points: number; audit: AuditLogRow }> {
    requireId('service_id', serviceId);
    if (roundAt === undefined) throw new InvalidArgumentError('round_time', 'is required');
    time('round_time', roundAt);
    const why = nonEmpty('reason', reason, MAX_REASON);
    const done = await this.db.transaction().execute(async (trx) => {
      // The service row first, as a score's write takes it: one writer of its rounds at a time,
      // so a flip and a score of a later round cannot each carry the SLA streak from stale rows.
      const service = await lockService(trx, serviceId);
      const was = await lockServiceRound(trx, serviceId, roundAt);
      if (was === undefined) {
        throw new NotFoundError(`a score of service ${serviceId} in round`, roundAt.toISOString());
      }
      const team = await findTeam(trx, service.team_id);
      // The audit entry first: the flipped score's request_id names it.
      const audit = await appendAudit(trx, {
        tokenId: actorToken(p),
        action: 'flip_check_result',
        subject: `service ${serviceId} (${team.name}/${service.name}) in round ${roundAt.toISOString()}`,
        reason: why,
        before: was,
        after: { up: !was.up, points: was.up ? 0 : service.points },
      });
      const now = await insertFlippedScore(trx, {
        serviceId,
        roundAt,
        up: !was.up,
        scoreCap: service.score_cap,
        auditId: audit.id,
        reason: why,
      });
      return { ...now, audit };
    });
    this.changed();
    return done;
  }

  /**
   * Counts a past round again from its recorded scores under the rules now (points, score_cap,
   * SLA), with an audit entry of each team's points in the round before and after.
   */
  async rescoreRound(
    p: Principal,
    roundAt: Date | undefined,
    reason: string,
  ): Promise<{
    services: number;
    changed: { teamId: number; before: number; after: number }[];
    audit: AuditLogRow;
  }> {
    if (roundAt === undefined) throw new InvalidArgumentError('round_time', 'is required');
    time('round_time', roundAt);
    const why = nonEmpty('reason', reason, MAX_REASON);
    const done = await this.db.transaction().execute(async (trx) => {
      if (!(await roundExists(trx, roundAt)))
        throw new NotFoundError('round', roundAt.toISOString());
      const before = await roundTeamPoints(trx, roundAt);
      const totalsBefore = await teamPoints(trx);
      const services = await recountRound(trx, roundAt);
      const after = await roundTeamPoints(trx, roundAt);
      const totalsAfter = await teamPoints(trx);
      // SLA streaks carried into later rounds can move a team's total beyond this round's points.
      const totals = [...totalsAfter]
        .filter(([teamId, points]) => (totalsBefore.get(teamId) ?? 0) !== points)
        .sort(([a], [b]) => a - b);
      const totalsOf = (of: Map<number, number>) =>
        totals.length === 0
          ? {}
          : { totals: Object.fromEntries(totals.map(([id]) => [`team ${id}`, of.get(id) ?? 0])) };
      const changed = [...after]
        .map(([teamId, points]) => ({ teamId, before: before.get(teamId) ?? 0, after: points }))
        .filter((t) => t.before !== t.after)
        .sort((a, b) => a.teamId - b.teamId);
      const audit = await appendAudit(trx, {
        tokenId: actorToken(p),
        action: 'rescore_round',
        subject: `round ${roundAt.toISOString()}`,
        reason: why,
        before: {
          ...Object.fromEntries(changed.map((t) => [`team ${t.teamId}`, t.before])),
          ...totalsOf(totalsBefore),
        },
        after: {
          services,
          ...Object.fromEntries(changed.map((t) => [`team ${t.teamId}`, t.after])),
          ...totalsOf(totalsAfter),
        },
      });
      return { services, changed, audit };
    });
    this.changed();
    return done;
  }

  async listAuditLog(
    size: number,
    token: string,
  ): Promise<{ entries: AuditLogRow[]; next: string }> {
    const limit = pageSize('page_size', size);
    const entries = await listAudit(this.db, limit + 1, decodePageToken(token));
    const more = entries.length > limit;
    const page = entries.slice(0, limit);
    return { entries: page, next: more ? encodePageToken(page.at(-1)!.id) : '' };
  }
}

async function teamAdjustmentTotal(db: Db, teamId: number): Promise<number> {
  const row = await db
    .selectFrom('adjustment')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), eb.lit(0)).as('total'))
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

/** Each team's total as the scoreboard shows it (the same query), by team id. */
async function teamPoints(db: Db): Promise<Map<number, number>> {
  return new Map((await teamTotals(db)).map((t) => [Number(t.team_id), Number(t.points)]));
}
