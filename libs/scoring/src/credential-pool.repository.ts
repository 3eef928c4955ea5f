import type { Principal } from '@checkwire/auth';
import { AlreadyExistsError, NotFoundError } from '@checkwire/errors';
import { type CredentialPoolRow, type Db, PG_UNIQUE_VIOLATION, pgErrorInfo } from '@checkwire/db';
import { visibleServiceIds } from './service-visibility.repository.js';

export interface CredentialInput {
  username: string;
  password: string;
}

export interface CredentialPoolWithCredentials extends CredentialPoolRow {
  credentials: CredentialInput[];
}

function nameTaken(err: unknown, name: string): never {
  if (pgErrorInfo(err)?.code === PG_UNIQUE_VIOLATION) {
    throw new AlreadyExistsError(`a credential pool named "${name}" already exists`);
  }
  throw err;
}

/** The pool's credentials become these, in order (in the caller's transaction). */
export async function replaceCredentials(
  db: Db,
  poolId: number,
  credentials: CredentialInput[],
): Promise<void> {
  await db.deleteFrom('credential').where('pool_id', '=', poolId).execute();
  if (credentials.length === 0) return;
  await db
    .insertInto('credential')
    .values(credentials.map((c, position) => ({ pool_id: poolId, position, ...c })))
    .execute();
}

export async function insertCredentialPool(
  db: Db,
  name: string,
  credentials: CredentialInput[],
): Promise<CredentialPoolWithCredentials> {
  return db
    .transaction()
    .execute(async (trx) => {
      const pool = await trx
        .insertInto('credential_pool')
        .values({ name })
        .returningAll()
        .executeTakeFirstOrThrow();
      await replaceCredentials(trx, pool.id, credentials);
      return { ...pool, credentials };
    })
    .catch((err: unknown) => nameTaken(err, name));
}

export async function updateCredentialPool(
  db: Db,
  id: number,
  patch: { name?: string; credentials?: CredentialInput[] },
): Promise<CredentialPoolWithCredentials> {
  await db
    .transaction()
    .execute(async (trx) => {
      const pool = await trx
        .updateTable('credential_pool')
        .set((eb) => ({ name: patch.name ?? eb.ref('name') }))
        .where('id', '=', id)
        .returning('id')
        .executeTakeFirst();
      if (pool === undefined) throw new NotFoundError('credential pool', id);
      if (patch.credentials !== undefined) await replaceCredentials(trx, id, patch.credentials);
    })
    .catch((err: unknown) => nameTaken(err, patch.name ?? ''));
  return findCredentialPool(db, id);
}

export interface CredentialPoolFilter {
  onlyId?: number;
  /**
   * Only the pools used by services this principal may see (for a check runner limited to some
   * subtypes or services: the pools of the services it may score). None, admin, or an unlimited
   * runner: every pool.
   */
  visibleTo?: Principal;
}

/** A pool the principal may not see is NOT_FOUND, as if it did not exist. */
export async function findCredentialPool(
  db: Db,
  id: number,
  visibleTo?: Principal,
): Promise<CredentialPoolWithCredentials> {
  const [pool] = await listCredentialPools(db, { onlyId: id, visibleTo });
  if (pool === undefined) throw new NotFoundError('credential pool', id);
  return pool;
}

export async function listCredentialPools(
  db: Db,
  filter: CredentialPoolFilter = {},
): Promise<CredentialPoolWithCredentials[]> {
  let pools = db.selectFrom('credential_pool').selectAll().orderBy('id');
  if (filter.onlyId !== undefined) pools = pools.where('id', '=', filter.onlyId);
  const visible = filter.visibleTo && visibleServiceIds(db, filter.visibleTo);
  if (visible !== undefined) {
    const used = db
      .selectFrom('service')
      .select('service.credential_pool_id')
      .where('service.id', 'in', visible)
      .where('service.credential_pool_id', 'is not', null);
    pools = pools.where('credential_pool.id', 'in', used);
  }
  const rows = await pools.execute();
  if (rows.length === 0) return [];
  const credentials = await db
    .selectFrom('credential')
    .selectAll()
    .where(
      'pool_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('pool_id')
    .orderBy('position')
    .execute();
  return rows.map((pool) => ({
    ...pool,
    credentials: credentials
      .filter((c) => c.pool_id === pool.id)
      .map(({ username, password }) => ({ username, password })),
  }));
}
