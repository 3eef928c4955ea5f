import { AlreadyExistsError, NotFoundError } from '@checkwire/errors';
import { type CredentialPoolRow, type Db, PG_UNIQUE_VIOLATION, pgErrorInfo } from '@checkwire/db';

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

async function replaceCredentials(
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

export async function findCredentialPool(
  db: Db,
  id: number,
): Promise<CredentialPoolWithCredentials> {
  const [pool] = await listCredentialPools(db, id);
  if (pool === undefined) throw new NotFoundError('credential pool', id);
  return pool;
}

export async function listCredentialPools(
  db: Db,
  onlyId?: number,
): Promise<CredentialPoolWithCredentials[]> {
  let pools = db.selectFrom('credential_pool').selectAll().orderBy('id');
  if (onlyId !== undefined) pools = pools.where('id', '=', onlyId);
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
