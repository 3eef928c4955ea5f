import type { ColumnType, Selectable } from 'kysely';

/** One scheduler pass, known by when it started. */
export interface RoundTable {
  started_at: Date;
}

/** A service's result in a round: its latest score's (kept by a trigger on score). */
export interface ServiceRoundTable {
  service_id: number;
  round_at: Date;
  /** The service's team when it was scored. */
  team_id: number;
  score_id: number;
  up: boolean;
  points: number;
  status: RoundStatus;
  /** Consecutive failed rounds ending with this one (0: not failed). */
  streak: number;
  /** The SLA penalty this round cost. */
  penalty: number;
}

/** up: all its points; partial: some; down: none; error: none, with an error reported. */
export type RoundStatus = 'up' | 'partial' | 'down' | 'error';

/** A service's totals over every round (kept by the same trigger). */
export interface ServiceTotalTable {
  service_id: number;
  /** bigint: a long event's sum may pass 2^31. */
  points: ColumnType<string, string | number, string | number>;
  rounds_up: number;
  rounds_scored: number;
  last_round_at: Date | null;
  /** Its result in the latest round it was scored in. */
  last_up: boolean | null;
  /** Rounds it earned part of its points in (counted in rounds_up too). */
  rounds_partial: number;
  /** SLA penalties over every round. */
  penalty: ColumnType<string, string | number, string | number>;
}

export type RoundRow = Selectable<RoundTable>;
export type ServiceRoundRow = Selectable<ServiceRoundTable>;
export type ServiceTotalRow = Selectable<ServiceTotalTable>;
