import type { Generated, Selectable } from 'kysely';

export interface TeamTable {
  id: Generated<number>;
  name: string;
  created_at: Generated<Date>;
}

export type TeamRow = Selectable<TeamTable>;
