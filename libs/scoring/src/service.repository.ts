import { AlreadyExistsError, NotFoundError } from '@checkwire/errors';
import type { Principal } from '@checkwire/auth';
import type { ServiceCheckSettings } from '@checkwire/check-settings';
import {
  type Db,
  PG_FOREIGN_KEY_VIOLATION,
  PG_UNIQUE_VIOLATION,
  pgErrorInfo,
  type ServiceRow,
} from '@checkwire/db';
import { visibleServiceIds } from './service-visibility.repository.js';

/** Every field an administrator sets on a service (the rest is derived). */
export interface ServiceFields {
  team_id: number;
  subtype: string;
  url: string;
  port: number;
  external: boolean;
  username: string;
  password: string;
  credential_pool_id: number | null;
  team_specific_info: string;
  protocol: string;
  http_string: string;
  team_specific: boolean;
  public_visibility: boolean;
  blue_visibility: boolean;
  green_visibility: boolean;
  red_visibility: boolean;
  administratively_down: boolean;
  down_reason: string;
  score_cap: number | null;
  /** '' on insert: the database names it "<subtype>-<id>". */
  name: string;
  points: number;
  /** '' is the default pool. */
  runner_pool: string;
  /** Validated (libs/check-settings). */
  check_settings: ServiceCheckSettings;
}

/** A missing team or credential pool surfaces as a foreign-key violation: name the culprit. */
function missingReference(err: unknown, fields: Partial<ServiceFields>): never {
  const info = pgErrorInfo(err);
  if (info?.code === PG_FOREIGN_KEY_VIOLATION) {
    if (info.constraint?.includes('team_id'))
      throw new NotFoundError('team', fields.team_id ?? '?');
    if (info.constraint?.includes('credential_pool_id')) {
      throw new NotFoundError('credential pool', fields.credential_pool_id ?? '?');
    }
  }
  if (info?.code === PG_UNIQUE_VIOLATION && info.constraint === 'service_team_id_name_key') {
    throw new AlreadyExistsError(`the team already has a service named "${fields.name ?? '?'}"`);
  }
  throw err;
}

export async function insertService(db: Db, fields: ServiceFields): Promise<ServiceRow> {
  return db
    .insertInto('service')
    .values(fields)
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch((err: unknown) => missingReference(err, fields));
}

export async function updateService(
  db: Db,
  id: number,
  patch: Partial<ServiceFields>,
): Promise<ServiceRow> {
  if (Object.keys(patch).length === 0) return findService(db, id);
  const row = await db
    .updateTable('service')
    .set(patch)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
    .catch((err: unknown) => missingReference(err, patch));
  if (row === undefined) throw new NotFoundError('service', id);
  return row;
}

/** The service, locked until the transaction ends (its audit entry's "before"). */
export async function lockService(trx: Db, id: number): Promise<ServiceRow> {
  const row = await trx
    .selectFrom('service')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError('service', id);
  return row;
}

export async function findService(db: Db, id: number): Promise<ServiceRow> {
  const row = await db.selectFrom('service').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new NotFoundError('service', id);
  return row;
}

interface ServiceFilter {
  teamId?: number | undefined;
  ids?: number[];
  visibleTo?: Principal;
}

/** The services a filter names, in team and id order, before anything is selected. */
function filteredServices(db: Db, filter: ServiceFilter) {
  let query = db.selectFrom('service').orderBy('team_id').orderBy('id');
  if (filter.teamId !== undefined) query = query.where('team_id', '=', filter.teamId);
  if (filter.ids !== undefined)
    query = query.where('id', '=', (eb) => eb.fn.any(eb.val(filter.ids)));
  const visible = filter.visibleTo && visibleServiceIds(db, filter.visibleTo);
  if (visible !== undefined) query = query.where('id', 'in', visible);
  return query;
}

export async function listServices(db: Db, filter: ServiceFilter = {}): Promise<ServiceRow[]> {
  return filteredServices(db, filter).selectAll().execute();
}

/**
 * The same services with only `columns` (a read mask's): the rows are partial, and typed so
 * (which columns is known only when the call comes).
 */
export async function listServiceColumns(
  db: Db,
  filter: ServiceFilter,
  columns: readonly (keyof ServiceRow)[],
): Promise<Partial<ServiceRow>[]> {
  return filteredServices(db, filter)
    .select([...columns])
    .execute();
}
