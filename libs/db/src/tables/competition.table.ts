import type { ColumnType, Selectable } from 'kysely';

export type PcrMode = 'immediate' | 'delay' | 'approval';

/** Competition-wide settings: one row (id 1), written by ApplyCompetition. 0 means unset. */
export interface CompetitionTable {
  id: ColumnType<number, 1 | undefined, never>;
  name: string;
  check_interval_seconds: number;
  check_jitter_seconds: number;
  check_timeout_seconds: number;
  check_retries: number;
  /** How a blue team's password change request is applied. */
  pcr_mode: ColumnType<PcrMode, PcrMode | undefined, PcrMode>;
  /** For 'delay': seconds after the request. */
  pcr_delay_seconds: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<Date, never, Date>;
}

export type CompetitionRow = Selectable<CompetitionTable>;
