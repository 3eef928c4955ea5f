import { sql } from 'kysely';
import type { Db } from '@checkwire/db';
import { EXTENSION_REGISTRY_PREFIX } from '@checkwire/lc-wire';

export async function recordInstalled(
  db: Db,
  serviceName: string,
  oid: string,
  jwt: string,
): Promise<void> {
  await db
    .insertInto('lc_org')
    .values({ service_name: serviceName, oid, jwt })
    .onConflict((oc) =>
      oc.columns(['service_name', 'oid']).doUpdateSet({
        jwt,
        uninstalled_at: null,
        installed_at: sql<Date>`CASE WHEN lc_org.uninstalled_at IS NULL THEN lc_org.installed_at ELSE now() END`,
      }),
    )
    .execute();
}

/**
 * Replaces an installed org's JWT; false when nothing was written. An org not recorded under an
 * extension's name (`ext/…`) is recorded with it (an org subscribed before the gateway recorded
 * extensions' orgs, an extension without a subscribe handler); one uninstalled stays so. Under a
 * route's name, an org not installed is left alone.
 */
export async function recordJwt(
  db: Db,
  serviceName: string,
  oid: string,
  jwt: string,
): Promise<boolean> {
  if (serviceName.startsWith(EXTENSION_REGISTRY_PREFIX)) {
    const rows = await db
      .insertInto('lc_org')
      .values({ service_name: serviceName, oid, jwt })
      .onConflict((oc) =>
        oc
          .columns(['service_name', 'oid'])
          .doUpdateSet({ jwt })
          .where('lc_org.uninstalled_at', 'is', null),
      )
      .returning('oid')
      .execute();
    return rows.length > 0;
  }
  const result = await db
    .updateTable('lc_org')
    .set({ jwt })
    .where('service_name', '=', serviceName)
    .where('oid', '=', oid)
    .where('uninstalled_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function recordUninstalled(db: Db, serviceName: string, oid: string): Promise<void> {
  await db
    .updateTable('lc_org')
    .set({ uninstalled_at: sql<Date>`coalesce(uninstalled_at, now())` })
    .where('service_name', '=', serviceName)
    .where('oid', '=', oid)
    .execute();
}

/** Adds sensors; returns how many were new. */
export async function recordSensors(
  db: Db,
  serviceName: string,
  oid: string,
  sids: string[],
): Promise<number> {
  if (sids.length === 0) return 0;
  const rows = await db
    .insertInto('lc_sensor')
    .values([...new Set(sids)].map((sid) => ({ service_name: serviceName, oid, sid })))
    .onConflict((oc) => oc.columns(['service_name', 'oid', 'sid']).doNothing())
    .returning('sid')
    .execute();
  return rows.length;
}

export async function listInstalledOrgs(
  db: Db,
  serviceName: string,
): Promise<{ oid: string; installed_at: Date; sensor_count: number }[]> {
  return db
    .selectFrom('lc_org')
    .leftJoin('lc_sensor', (j) =>
      j
        .onRef('lc_sensor.service_name', '=', 'lc_org.service_name')
        .onRef('lc_sensor.oid', '=', 'lc_org.oid'),
    )
    .select(['lc_org.oid', 'lc_org.installed_at'])
    .select((eb) => eb.fn.count<number>('lc_sensor.sid').as('sensor_count'))
    .where('lc_org.service_name', '=', serviceName)
    .where('lc_org.uninstalled_at', 'is', null)
    .groupBy(['lc_org.oid', 'lc_org.installed_at'])
    .orderBy('lc_org.oid')
    .execute();
}
