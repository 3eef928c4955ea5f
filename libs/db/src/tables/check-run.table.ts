import type { Generated, Selectable } from 'kysely';

export interface CheckRunTable {
  id: Generated<number>;
  service_id: number;
  started_at: Generated<Date>;
  finished_at: Date | null;
}

export type CheckRunRow = Selectable<CheckRunTable>;
