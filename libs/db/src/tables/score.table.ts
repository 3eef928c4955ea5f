import type { Generated, Selectable } from 'kysely';

export interface ScoreTable {
  id: Generated<number>;
  service_id: number;
  check_run_id: number | null;
  /** What is stored and counts: submitted_result bounded by the service's score_cap. */
  result: number;
  submitted_result: number;
  capped: boolean;
  error_msg: string | null;
  request_id: string | null;
  created_at: Generated<Date>;
  /** The round it counts in (a trigger sets the round under way when none is given). */
  round_at: Date | null;
}

export type ScoreRow = Selectable<ScoreTable>;
