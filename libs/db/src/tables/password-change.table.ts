import type { Generated, Selectable } from 'kysely';

export type PcrState = 'pending' | 'applied' | 'rejected';

/**
 * A blue team's (or the white team's) request to change credentials: a service's own (service_id)
 * or the password of one credential pool entry (pool_id and username); exactly one is set.
 */
export interface PasswordChangeTable {
  id: Generated<number>;
  service_id: number | null;
  pool_id: number | null;
  /**
   * The requesting blue team's, or the service's team's; for the white team's request on a pool,
   * the team whose services use the pool, or null if no single team's do.
   */
  team_id: number | null;
  /** The new username of a service; the entry a pool request changes. */
  username: string;
  /** Secret: shown to the white team only. */
  password: string;
  state: PcrState;
  apply_after: Date | null;
  requested_by: number | null;
  requested_at: Generated<Date>;
  decided_at: Date | null;
  decision_reason: Generated<string>;
}

export type PasswordChangeRow = Selectable<PasswordChangeTable>;
