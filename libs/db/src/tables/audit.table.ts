import type { ColumnType, Generated, Selectable } from 'kysely';

/** What the white team changed, who, when, why, before and after. Append-only (a trigger). */
export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  actor_token_id: number | null;
  /** The token's name when it acted ("bootstrap admin"), or what acted ("a call without a token"). */
  actor: string;
  action: string;
  subject: string;
  reason: string;
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string | null, never>;
}

/** ± points for a team, written with its audit entry. */
export interface AdjustmentTable {
  id: Generated<number>;
  team_id: number;
  points: number;
  reason: string;
  audit_id: number;
  created_at: Generated<Date>;
}

export type AuditLogRow = Selectable<AuditLogTable>;
export type AdjustmentRow = Selectable<AdjustmentTable>;
