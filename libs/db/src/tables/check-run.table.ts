import type { Generated, Selectable } from 'kysely';

export interface CheckRunTable {
  id: Generated<number>;
  service_id: number;
  started_at: Generated<Date>;
  finished_at: Date | null;
  /** The check span's identity (hex), given at in progress, used when the span is recorded. */
  trace_id: string | null;
  span_id: string | null;
  parent_span_id: string | null;
  trace_sampled: Generated<boolean>;
  /** Closed by the sweeper, not by "done". */
  abandoned: Generated<boolean>;
}

export type CheckRunRow = Selectable<CheckRunTable>;
