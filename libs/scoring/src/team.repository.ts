import { AlreadyExistsError, NotFoundError } from '@checkwire/errors';
import { type Db, PG_UNIQUE_VIOLATION, pgErrorInfo, type TeamRow } from '@checkwire/db';

function nameTaken(err: unknown, name: string): never {
  if (pgErrorInfo(err)?.code === PG_UNIQUE_VIOLATION) {
    throw new AlreadyExistsError(`a team named "${name}" already exists`);
  }
  throw err;
}

export async function insertTeam(db: Db, name: string): Promise<TeamRow> {
  return db
    .insertInto('team')
    .values({ name })
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch((err: unknown) => nameTaken(err, name));
}

export async function updateTeam(db: Db, id: number, name: string): Promise<TeamRow> {
  const row = await db
    .updateTable('team')
    .set({ name })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
    .catch((err: unknown) => nameTaken(err, name));
  if (row === undefined) throw new NotFoundError('team', id);
  return row;
}

export async function findTeam(db: Db, id: number): Promise<TeamRow> {
  const row = await db.selectFrom('team').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new NotFoundError('team', id);
  return row;
}

export async function listTeams(db: Db): Promise<TeamRow[]> {
  return db.selectFrom('team').selectAll().orderBy('id').execute();
}
