import { sql, type SelectQueryBuilder } from 'kysely';
import type { Principal } from '@checkwire/auth';
import type { Database, Db } from '@checkwire/db';

/**
 * The ids of the services the principal may see, as a subquery (undefined: all of them). The
 * same rule as canSeeService in libs/auth, in SQL; the role × RPC matrix test holds the two to
 * the same answers.
 */
export function visibleServiceIds(
  db: Db,
  p: Principal,
): SelectQueryBuilder<Database, 'service', { id: number }> | undefined {
  const ids = db.selectFrom('service').select('service.id');
  switch (p.role) {
    case 'admin':
      return undefined;
    case 'check_runner': {
      if (p.subtypes.length === 0 && p.serviceIds.length === 0) return undefined;
      let q = ids;
      if (p.subtypes.length > 0)
        q = q.where('service.subtype', '=', (eb) => eb.fn.any(eb.val([...p.subtypes])));
      if (p.serviceIds.length > 0)
        q = q.where('service.id', '=', (eb) => eb.fn.any(eb.val([...p.serviceIds])));
      return q;
    }
    // People with a token see at least what the public sees.
    case 'blue':
      return ids.where((eb) =>
        eb.or([
          eb('service.team_id', '=', p.teamId),
          eb('service.blue_visibility', '=', true),
          eb('service.public_visibility', '=', true),
        ]),
      );
    case 'red':
      return ids.where((eb) =>
        eb.or([
          eb('service.red_visibility', '=', true),
          eb('service.public_visibility', '=', true),
        ]),
      );
    case 'green':
      return ids.where((eb) =>
        eb.or([
          eb('service.green_visibility', '=', true),
          eb('service.public_visibility', '=', true),
        ]),
      );
    case 'public':
      return ids.where('service.public_visibility', '=', true);
    case 'lc_gateway':
      return ids.where(sql<boolean>`false`);
    case 'scheduler':
      return undefined;
  }
}

/** Subtype of each existing service among `ids`, for a limited runner's permission check. */
export async function serviceSubtypes(
  db: Db,
  ids: number[],
): Promise<{ id: number; subtype: string }[]> {
  return db
    .selectFrom('service')
    .select(['id', 'subtype'])
    .where('id', '=', (eb) => eb.fn.any(eb.val(ids)))
    .execute();
}

/** The service a score belongs to (id and subtype), if the score exists. */
export async function serviceOfScore(
  db: Db,
  scoreId: number,
): Promise<{ id: number; subtype: string } | undefined> {
  return db
    .selectFrom('score')
    .innerJoin('service', 'service.id', 'score.service_id')
    .select(['service.id', 'service.subtype'])
    .where('score.id', '=', scoreId)
    .executeTakeFirst();
}
