import { sql } from 'kysely';
import type { Principal } from '@checkwire/auth';
import type { Db, ScoreRow } from '@checkwire/db';
import { visibleServiceIds } from './service-visibility.repository.js';

export interface ScoreInput {
  serviceId: number;
  result: number;
  errorMsg: string | null;
  requestId: string | null;
  /** The round it counts in; absent: the round under way (the database decides). */
  roundAt?: Date | undefined;
}

export async function findScoreByRequestId(
  db: Db,
  serviceId: number,
  requestId: string,
): Promise<ScoreRow | undefined> {
  return db
    .selectFrom('score')
    .selectAll()
    .where('service_id', '=', serviceId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
}

export interface BatchServiceState {
  id: number;
  administratively_down: boolean;
  down_reason: string;
}

/**
 * Locks the batch's services until the transaction ends: no one takes them down meanwhile, and
 * their last_scan update needs no further lock. Locking in id order keeps two concurrent
 * batches over the same services from deadlocking.
 */
export async function lockServicesForScoring(trx: Db, ids: number[]): Promise<BatchServiceState[]> {
  return trx
    .selectFrom('service')
    .select(['id', 'administratively_down', 'down_reason'])
    .where('id', '=', (eb) => eb.fn.any(eb.val(ids)))
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * Inserts many scores in one statement (keyed duplicates skipped) and moves every touched
 * service's last_scan fields to its newest score. Returns the rows written, in insertion order.
 * Must run inside the transaction that locked the services.
 */
export async function insertScoreBatch(
  trx: Db,
  inputs: ScoreInput[],
  /**
   * Per input, the run to link the score to (if it is still open; 0: none). Without it, each
   * score is linked to its service's open run, as a single InsertServiceScore is.
   */
  runIds?: number[],
): Promise<ScoreRow[]> {
  const { rows } = await sql<ScoreRow>`
    WITH input AS (
      SELECT * FROM unnest(
        ${inputs.map((i) => i.serviceId)}::bigint[],
        ${inputs.map((i) => i.result)}::int[],
        ${inputs.map((i) => i.errorMsg)}::text[],
        ${inputs.map((i) => i.requestId)}::text[],
        ${runIds ?? inputs.map(() => null)}::bigint[],
        ${inputs.map((i) => i.roundAt ?? null)}::timestamptz[]
      ) WITH ORDINALITY AS t(service_id, result, error_msg, request_id, run_id, round_at, ord)
    ),
    ins AS (
      INSERT INTO score (service_id, check_run_id, result, submitted_result, capped, error_msg, request_id, round_at)
      SELECT i.service_id,
             r.id,
             CASE WHEN i.result > s.score_cap THEN s.score_cap ELSE i.result END,
             i.result,
             coalesce(i.result > s.score_cap, false),
             i.error_msg, i.request_id, i.round_at
      FROM input i
      JOIN service s ON s.id = i.service_id
      LEFT JOIN check_run r ON r.service_id = i.service_id AND r.finished_at IS NULL
        AND (i.run_id IS NULL OR r.id = i.run_id)
      ORDER BY i.ord
      ON CONFLICT (service_id, request_id) DO NOTHING
      RETURNING *
    ),
    latest AS (
      SELECT DISTINCT ON (service_id) service_id, result, created_at, error_msg
      FROM ins ORDER BY service_id, id DESC
    ),
    touched AS (
      UPDATE service
      SET last_scan = latest.result, last_scan_time = latest.created_at, last_scan_error = latest.error_msg
      FROM latest WHERE service.id = latest.service_id
    )
    SELECT * FROM ins ORDER BY id
  `.execute(trx);
  return rows;
}

export interface ScoreFilter {
  serviceId?: number | undefined;
  teamId?: number | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  /** Only ids below this (keyset paging, newest first). */
  beforeId?: number | undefined;
  limit: number;
  /** Only scores of services this principal may see. */
  visibleTo?: Principal;
}

/** A score with its service's team (who may read its error text depends on it). */
export type ListedScore = ScoreRow & { team_id: number };

export async function listScores(db: Db, f: ScoreFilter): Promise<ListedScore[]> {
  let query = db
    .selectFrom('score')
    .innerJoin('service', 'service.id', 'score.service_id')
    .selectAll('score')
    .select('service.team_id')
    .orderBy('score.id', 'desc')
    .limit(f.limit);
  if (f.serviceId !== undefined) query = query.where('score.service_id', '=', f.serviceId);
  if (f.teamId !== undefined) query = query.where('service.team_id', '=', f.teamId);
  const visible = f.visibleTo && visibleServiceIds(db, f.visibleTo);
  if (visible !== undefined) query = query.where('score.service_id', 'in', visible);
  if (f.since !== undefined) query = query.where('score.created_at', '>=', f.since);
  if (f.until !== undefined) query = query.where('score.created_at', '<', f.until);
  if (f.beforeId !== undefined) query = query.where('score.id', '<', f.beforeId);
  return query.execute();
}
