import { checkSettingsFromStored } from '@checkwire/check-settings';
import { sql } from 'kysely';
import type { Db } from '@checkwire/db';
import type {
  CheckSettings,
  CurrentCompetition,
  CurrentService,
  DesiredService,
  PasswordChangePolicy,
} from './competition-plan.js';
import { replaceCredentials, type CredentialInput } from './credential-pool.repository.js';
import type { HeldCredentials } from './held-credentials.js';
import { SLA_OFF, slaColumns, slaFromColumns, type SlaRule } from './sla-rule.js';

// The competition's rows, read and written inside the caller's transaction.

/** Serialises applies until the transaction ends: two at once would each plan from the same state. */
export async function lockCompetition(trx: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended('checkwire:competition', 0))`.execute(
    trx,
  );
}

export async function readCompetition(db: Db): Promise<CurrentCompetition> {
  const settings = await db.selectFrom('competition').selectAll().executeTakeFirst();
  const pools = await db
    .selectFrom('credential_pool')
    .select(['id', 'name'])
    .orderBy('id')
    .execute();
  const credentials = await db
    .selectFrom('credential')
    .select(['pool_id', 'username', 'password'])
    .orderBy('pool_id')
    .orderBy('position')
    .execute();
  const byPool = new Map<number, CredentialInput[]>();
  for (const c of credentials) {
    const list = byPool.get(c.pool_id) ?? [];
    list.push({ username: c.username, password: c.password });
    byPool.set(c.pool_id, list);
  }
  const teams = await db
    .selectFrom('team')
    .select(['id', 'name', 'disabled_at'])
    .orderBy('id')
    .execute();
  const services = await db
    .selectFrom('service')
    .leftJoin('credential_pool', 'credential_pool.id', 'service.credential_pool_id')
    .selectAll('service')
    .select('credential_pool.name as pool_name')
    .orderBy('service.team_id')
    .orderBy('service.id')
    .execute();
  return {
    settings:
      settings === undefined
        ? undefined
        : {
            name: settings.name,
            interval_seconds: settings.check_interval_seconds,
            jitter_seconds: settings.check_jitter_seconds,
            timeout_seconds: settings.check_timeout_seconds,
            retries: settings.check_retries,
            password_changes: {
              mode: settings.pcr_mode,
              delay_seconds: settings.pcr_delay_seconds,
            },
            sla: slaFromColumns(settings) ?? SLA_OFF,
          },
    pools: pools.map((p) => ({ ...p, credentials: byPool.get(p.id) ?? [] })),
    teams: teams.map((t) => ({ id: t.id, name: t.name, disabled: t.disabled_at !== null })),
    services: services.map((s): CurrentService => ({
      id: s.id,
      team_id: s.team_id,
      disabled: s.disabled_at !== null,
      name: s.name,
      subtype: s.subtype,
      url: s.url,
      port: s.port,
      external: s.external,
      username: s.username,
      password: s.password,
      credential_pool: s.pool_name ?? '',
      team_specific_info: s.team_specific_info,
      protocol: s.protocol,
      http_string: s.http_string,
      team_specific: s.team_specific,
      public_visibility: s.public_visibility,
      blue_visibility: s.blue_visibility,
      green_visibility: s.green_visibility,
      red_visibility: s.red_visibility,
      score_cap: s.score_cap,
      points: s.points,
      sla: slaFromColumns(s),
      runner_pool: s.runner_pool,
      check_settings: checkSettingsFromStored(s.check_settings),
    })),
  };
}

export async function writeSettings(
  db: Db,
  name: string,
  c: CheckSettings,
  pcr: PasswordChangePolicy,
  sla: SlaRule,
): Promise<void> {
  const { sla_model, sla_threshold, sla_penalty, sla_growth, sla_max_penalty } = slaColumns(sla);
  const row = {
    name,
    sla_model: sla_model!,
    sla_threshold: sla_threshold!,
    sla_penalty: sla_penalty!,
    sla_growth: sla_growth!,
    sla_max_penalty: sla_max_penalty!,
    pcr_mode: pcr.mode,
    pcr_delay_seconds: pcr.delay_seconds,
    check_interval_seconds: c.interval_seconds,
    check_jitter_seconds: c.jitter_seconds,
    check_timeout_seconds: c.timeout_seconds,
    check_retries: c.retries,
  };
  await db
    .insertInto('competition')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, updated_at: new Date() }))
    .execute();
}

export async function insertPool(
  db: Db,
  name: string,
  credentials: CredentialInput[],
): Promise<number> {
  const { id } = await db
    .insertInto('credential_pool')
    .values({ name })
    .returning('id')
    .executeTakeFirstOrThrow();
  await replaceCredentials(db, id, credentials);
  return id;
}

export async function insertTeam(db: Db, name: string): Promise<number> {
  const { id } = await db
    .insertInto('team')
    .values({ name })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function setTeamDisabled(db: Db, id: number, disabled: boolean): Promise<void> {
  await db
    .updateTable('team')
    .set({ disabled_at: disabled ? new Date() : null })
    .where('id', '=', id)
    .execute();
}

/** A service's columns from its declaration (the pool given by id, the SLA as its columns). */
type ServiceColumns = Omit<Partial<DesiredService>, 'credential_pool' | 'sla'> & {
  credential_pool_id?: number | null;
} & Partial<ReturnType<typeof slaColumns>>;

function columns(
  s: Partial<DesiredService>,
  poolId: (name: string) => number | null,
): ServiceColumns {
  const { credential_pool, sla, ...rest } = s;
  return {
    ...rest,
    ...(credential_pool === undefined ? {} : { credential_pool_id: poolId(credential_pool) }),
    ...(sla === undefined ? {} : slaColumns(sla)),
  };
}

export async function insertService(
  db: Db,
  teamId: number,
  s: DesiredService,
  poolId: (name: string) => number | null,
): Promise<number> {
  const { id } = await db
    .insertInto('service')
    .values({ ...columns(s, poolId), team_id: teamId, subtype: s.subtype })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The reason a service the file no longer names is down (shown on status pages). */
export const DISABLED_REASON = 'removed from the competition file';

export async function updateService(
  db: Db,
  id: number,
  patch: Partial<DesiredService>,
  enable: boolean,
  poolId: (name: string) => number | null,
): Promise<void> {
  await db
    .updateTable('service')
    .set({
      ...columns(patch, poolId),
      ...(enable ? { disabled_at: null, administratively_down: false, down_reason: '' } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Not checked (administratively down, saying why) and left out of the competition; scores kept. */
export async function disableService(db: Db, id: number): Promise<void> {
  await db
    .updateTable('service')
    .set({ disabled_at: new Date(), administratively_down: true, down_reason: DISABLED_REASON })
    .where('id', '=', id)
    .execute();
}

/**
 * The credentials each service's and pool entry's latest applied password change request set,
 * where they are still what it set (an admin who changed them since takes them back).
 */
export async function readHeldCredentials(db: Db): Promise<HeldCredentials> {
  const { rows: services } = await sql<{ service_id: string; id: string }>`
    SELECT service_id, id FROM (
      SELECT DISTINCT ON (pc.service_id) pc.service_id, pc.id,
             pc.username = s.username AND pc.password = s.password AS held
      FROM password_change pc JOIN service s ON s.id = pc.service_id
      WHERE pc.state = 'applied'
      ORDER BY pc.service_id, pc.decided_at DESC, pc.id DESC
    ) latest WHERE held`.execute(db);
  const { rows: entries } = await sql<{ pool_id: string; username: string; id: string }>`
    SELECT latest.pool_id, latest.username, latest.id FROM (
      SELECT DISTINCT ON (pool_id, username) pool_id, username, password, id
      FROM password_change
      WHERE state = 'applied' AND pool_id IS NOT NULL
      ORDER BY pool_id, username, decided_at DESC, id DESC
    ) latest
    WHERE EXISTS (SELECT 1 FROM credential c WHERE c.pool_id = latest.pool_id
                  AND c.username = latest.username AND c.password = latest.password)`.execute(db);
  const poolEntries = new Map<number, Map<string, number>>();
  for (const e of entries) {
    const pool = poolEntries.get(Number(e.pool_id)) ?? new Map<string, number>();
    pool.set(e.username, Number(e.id));
    poolEntries.set(Number(e.pool_id), pool);
  }
  return {
    services: new Map(services.map((s) => [Number(s.service_id), Number(s.id)])),
    poolEntries,
  };
}
