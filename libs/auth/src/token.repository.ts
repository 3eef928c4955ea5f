import { sql } from 'kysely';
import type { ApiTokenRow, Db, TokenRoleName } from '@checkwire/db';

export interface TokenFields {
  name: string;
  role: TokenRoleName;
  team_id: number | null;
  subtypes: string[];
  service_ids: number[];
  secret_sha256: Buffer;
  prefix: string;
}

/** A token as listed: everything but the hash. */
export type TokenRecord = Omit<ApiTokenRow, 'secret_sha256'>;

const LISTED = [
  'id',
  'name',
  'role',
  'team_id',
  'subtypes',
  'service_ids',
  'prefix',
  'created_at',
  'revoked_at',
] as const;

export async function insertToken(db: Db, fields: TokenFields): Promise<TokenRecord> {
  return db.insertInto('api_token').values(fields).returning(LISTED).executeTakeFirstOrThrow();
}

/**
 * Which of these services exist, each locked (FOR KEY SHARE) until the transaction ends, so none is
 * deleted before the token that names it is stored.
 */
export async function lockExistingServices(trx: Db, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await trx
    .selectFrom('service')
    .select('id')
    .where('id', 'in', [...ids])
    .forKeyShare()
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function listTokens(db: Db, includeRevoked: boolean): Promise<TokenRecord[]> {
  let query = db.selectFrom('api_token').select(LISTED).orderBy('id', 'desc');
  if (!includeRevoked) query = query.where('revoked_at', 'is', null);
  return query.execute();
}

/** Revokes (idempotently: the first revocation time stays); undefined when there is no such token. */
export async function revokeToken(db: Db, id: number): Promise<TokenRecord | undefined> {
  return db
    .updateTable('api_token')
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
    .where('id', '=', id)
    .returning(LISTED)
    .executeTakeFirst();
}

export async function findToken(db: Db, id: number): Promise<TokenRecord | undefined> {
  return db.selectFrom('api_token').select(LISTED).where('id', '=', id).executeTakeFirst();
}

/** The live (not revoked) token with this secret hash. */
export async function findLiveToken(db: Db, sha256: Buffer): Promise<TokenRecord | undefined> {
  return db
    .selectFrom('api_token')
    .select(LISTED)
    .where('secret_sha256', '=', sha256)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Inserts the token only when no token exists at all, atomically across replicas (a
 * transaction-scoped advisory lock serialises the check and the insert).
 */
export async function insertIfNoTokens(
  db: Db,
  fields: TokenFields,
): Promise<TokenRecord | undefined> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('checkwire.api_token.bootstrap'))`.execute(trx);
    const any = await trx.selectFrom('api_token').select('id').limit(1).executeTakeFirst();
    if (any !== undefined) return undefined;
    return insertToken(trx, fields);
  });
}
