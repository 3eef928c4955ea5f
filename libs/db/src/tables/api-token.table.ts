import type { ColumnType, Generated, Selectable } from 'kysely';

/** Who a token's holder is (the public has no token, so no row). */
export const TOKEN_ROLES = [
  'admin',
  'check_runner',
  'blue',
  'red',
  'green',
  'lc_gateway',
  'scheduler',
] as const;
export type TokenRoleName = (typeof TOKEN_ROLES)[number];

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  role: TokenRoleName;
  team_id: number | null;
  subtypes: Generated<string[]>;
  service_ids: Generated<number[]>;
  /** SHA-256 of the secret; the secret itself is never stored. */
  secret_sha256: Buffer;
  prefix: string;
  created_at: ColumnType<Date, never, never>;
  revoked_at: Date | null;
}

export type ApiTokenRow = Selectable<ApiTokenTable>;
