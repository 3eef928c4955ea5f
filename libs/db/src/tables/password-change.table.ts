import type { Generated, Selectable } from 'kysely';

export type PcrState = 'pending' | 'applied' | 'rejected';

/** A blue team's request to change its service's credentials. */
export interface PasswordChangeTable {
  id: Generated<number>;
  service_id: number;
  team_id: number;
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
