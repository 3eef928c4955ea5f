import { sql } from 'kysely';
import type { AuditLogRow, Db } from '@checkwire/db';

export interface AuditInput {
  /** The token that acted. */
  tokenId: number;
  action: string;
  subject: string;
  reason: string;
  before: unknown;
  after: unknown;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/**
 * Appends an entry, naming the actor by its token's name now (a token renamed or revoked later
 * leaves the entry as it was). In the caller's transaction: the change and its record commit
 * together or not at all.
 */
export async function appendAudit(db: Db, e: AuditInput): Promise<AuditLogRow> {
  const { rows } = await sql<AuditLogRow>`
    INSERT INTO audit_log (actor_token_id, actor, action, subject, reason, before, after)
    SELECT ${e.tokenId}, coalesce((SELECT name || ' (token ' || id || ')' FROM api_token WHERE id = ${e.tokenId}), 'token ' || ${e.tokenId}),
           ${e.action}, ${e.subject}, ${e.reason}, ${json(e.before)}::jsonb, ${json(e.after)}::jsonb
    RETURNING *`.execute(db);
  return rows[0]!;
}

/** Newest first, ids below `before` (keyset paging). */
export async function listAudit(
  db: Db,
  limit: number,
  before: number | undefined,
): Promise<AuditLogRow[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
  if (before !== undefined) query = query.where('id', '<', before);
  return query.execute();
}
