import type { Generated, Selectable } from 'kysely';

export interface CredentialPoolTable {
  id: Generated<number>;
  name: string;
  created_at: Generated<Date>;
}

/** One username/password of a pool; `position` keeps the order the admin gave. */
export interface CredentialTable {
  pool_id: number;
  position: number;
  username: string;
  password: string;
}

export type CredentialPoolRow = Selectable<CredentialPoolTable>;
export type CredentialRow = Selectable<CredentialTable>;
