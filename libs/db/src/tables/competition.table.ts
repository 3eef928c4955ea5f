import type { ColumnType, Selectable } from 'kysely';

export type PcrMode = 'immediate' | 'delay' | 'approval';

/** How failed rounds past an SLA's threshold are penalised ('off': not at all). */
export type SlaModel = 'off' | 'flat' | 'additive' | 'exponential';

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
  /** The SLA rule every service without its own follows. */
  sla_model: ColumnType<SlaModel, SlaModel | undefined, SlaModel>;
  sla_threshold: ColumnType<number, number | undefined, number>;
  sla_penalty: ColumnType<number, number | undefined, number>;
  /** numeric: read as a string. */
  sla_growth: ColumnType<string, number | undefined, number>;
  sla_max_penalty: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<Date, never, Date>;
}

export type CompetitionRow = Selectable<CompetitionTable>;
