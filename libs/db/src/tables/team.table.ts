import type { Generated, Selectable } from 'kysely';

export interface TeamTable {
  id: Generated<number>;
  name: string;
  created_at: Generated<Date>;
  /** Set while the competition file no longer names the team (its services are disabled too). */
  disabled_at: Date | null;
}

export type TeamRow = Selectable<TeamTable>;
