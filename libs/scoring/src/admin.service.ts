import { canSeeService, type Principal } from '@checkwire/auth';
import {
  InvalidArgumentError,
  NotFoundError,
  int32,
  nonEmpty,
  optionalId,
  port,
  requireId,
  runnerPool,
  text,
} from '@checkwire/errors';
import {
  checkSettingsFromStored,
  checkSettingsFromWire,
  type ServiceCheckSettings,
  type WireServiceCheckSettings,
} from '@checkwire/check-settings';
import { points, serviceName } from './service-rules.js';
import type { Db, ServiceRow, TeamRow } from '@checkwire/db';
import {
  findCredentialPool,
  insertCredentialPool,
  listCredentialPools,
  updateCredentialPool,
  type CredentialInput,
  type CredentialPoolWithCredentials,
} from './credential-pool.repository.js';
import {
  findService,
  insertService,
  listServiceColumns,
  listServices,
  lockService,
  updateService,
  type ServiceFields,
} from './service.repository.js';
import { actorToken } from './actor.js';
import { appendAudit } from './audit.repository.js';
import type { StatusNotifier } from './status-notifier.js';
import { findTeam, insertTeam, listTeams, updateTeam } from './team.repository.js';
import { ReadPools } from './read-pools.js';
import { redactService } from './redaction.js';
import type { ServiceColumn } from './service-fields.js';

/** Every writable service field, in proto (snake_case) spelling: the update_mask vocabulary. */
export const SERVICE_FIELDS = [
  'team_id',
  'subtype',
  'url',
  'port',
  'external',
  'username',
  'password',
  'credential_pool_id',
  'team_specific_info',
  'protocol',
  'http_string',
  'team_specific',
  'public_visibility',
  'blue_visibility',
  'green_visibility',
  'red_visibility',
  'administratively_down',
  'down_reason',
  'score_cap',
  'name',
  'points',
  'runner_pool',
  'check_settings',
] as const satisfies readonly (keyof ServiceFields)[];

/** A service as an administrator writes it; absent optional fields mean "none". */
export type ServiceDraft = Omit<
  ServiceFields,
  'credential_pool_id' | 'score_cap' | 'name' | 'points' | 'check_settings'
> & {
  credential_pool_id?: number | undefined;
  score_cap?: number | undefined;
  /** Empty: named "<subtype>-<id>" on create. */
  name: string;
  /** Absent: DEFAULT_SERVICE_POINTS. */
  points?: number | undefined;
  /** As the request holds them (validated here); absent: none. */
  check_settings?: WireServiceCheckSettings | undefined;
};

const SHORT = 256;
const LONG = 4096;

/**
 * One rule per writable field, so a masked update checks exactly the fields it writes. `at` is
 * the path a refusal names the field by ("service." in AdminService, "teams[0].services[1]." in
 * a competition).
 */
const RULES: { [K in keyof ServiceFields]: (d: ServiceDraft, at: string) => ServiceFields[K] } = {
  team_id: (d, at) => requireId(`${at}team_id`, d.team_id),
  subtype: (d, at) => nonEmpty(`${at}subtype`, d.subtype, SHORT),
  url: (d, at) => text(`${at}url`, d.url, LONG),
  port: (d, at) => port(`${at}port`, d.port),
  external: (d) => d.external,
  username: (d, at) => text(`${at}username`, d.username, SHORT),
  password: (d, at) => text(`${at}password`, d.password, SHORT),
  credential_pool_id: (d, at) =>
    optionalId(`${at}credential_pool_id`, d.credential_pool_id) ?? null,
  team_specific_info: (d, at) => text(`${at}team_specific_info`, d.team_specific_info, LONG),
  protocol: (d, at) => text(`${at}protocol`, d.protocol, SHORT),
  http_string: (d, at) => text(`${at}http_string`, d.http_string, LONG),
  team_specific: (d) => d.team_specific,
  public_visibility: (d) => d.public_visibility,
  blue_visibility: (d) => d.blue_visibility,
  green_visibility: (d) => d.green_visibility,
  red_visibility: (d) => d.red_visibility,
  administratively_down: (d) => d.administratively_down,
  down_reason: (d, at) => text(`${at}down_reason`, d.down_reason, LONG),
  score_cap: (d, at) => (d.score_cap === undefined ? null : int32(`${at}score_cap`, d.score_cap)),
  name: (d, at) => serviceName(`${at}name`, d.name),
  points: (d, at) => points(`${at}points`, d.points),
  runner_pool: (d, at) => runnerPool(`${at}runner_pool`, d.runner_pool),
  check_settings: (d, at) => checkSettingsFromWire(`${at}check_settings`, d.check_settings),
};

/** The fields named, checked; a refusal names the field as `${at}<field>`. */
export function validFields(
  d: ServiceDraft,
  fields: readonly (keyof ServiceFields)[],
  at = 'service.',
): Partial<ServiceFields> {
  const valid: Partial<ServiceFields> = Object.fromEntries(fields.map((f) => [f, RULES[f](d, at)]));
  if (valid.check_settings !== undefined && 'score_cap' in valid)
    requireCapForPartial(valid.check_settings, valid.score_cap ?? null, at);
  return valid;
}

/** A partial result is a share of the score cap: settings that allow one need a cap. */
function requireCapForPartial(
  settings: ServiceCheckSettings,
  scoreCap: number | null,
  at: string,
): void {
  if (settings.partial && scoreCap === null) {
    throw new InvalidArgumentError(
      `${at}check_settings.partial`,
      "needs the service's score_cap: a partial result is a share of the cap",
    );
  }
}

/** Credentials checked; a refusal names the field as `${at}credentials[i].username`. */
export function validCredentials(credentials: CredentialInput[], at = ''): CredentialInput[] {
  return credentials.map((c, i) => ({
    username: nonEmpty(`${at}credentials[${i}].username`, c.username, SHORT),
    password: text(`${at}credentials[${i}].password`, c.password, SHORT),
  }));
}

/** Teams, services and credential pools: what the white team configures. */
export class Administration {
  constructor(
    private readonly db: Db,
    private readonly notifier: StatusNotifier,
    private readonly reads: ReadPools = new ReadPools(db, db),
  ) {}

  createTeam(name: string): Promise<TeamRow> {
    return insertTeam(this.db, nonEmpty('name', name));
  }

  updateTeam(id: number, name: string): Promise<TeamRow> {
    return updateTeam(this.db, requireId('id', id), nonEmpty('name', name));
  }

  getTeam(id: number): Promise<TeamRow> {
    return findTeam(this.db, requireId('id', id));
  }

  listTeams(): Promise<TeamRow[]> {
    return listTeams(this.db);
  }

  async createService(draft: ServiceDraft): Promise<ServiceRow> {
    const row = await insertService(this.db, validFields(draft, SERVICE_FIELDS) as ServiceFields);
    this.notifier.changed(row.id);
    return row;
  }

  /**
   * Changes the fields named in `mask` (every writable field when it is empty), and records in
   * the audit log, in the same transaction, who changed which fields from what to what (a
   * password only as changed). An update that changes nothing records nothing.
   */
  async updateService(
    id: number,
    draft: ServiceDraft,
    mask: string[],
    principal: Principal,
  ): Promise<ServiceRow> {
    requireId('service.id', id);
    const known = new Set<string>(SERVICE_FIELDS);
    for (const path of mask) {
      if (!known.has(path)) {
        throw new InvalidArgumentError(
          'update_mask',
          `unknown or read-only field "${path}"; writable: ${SERVICE_FIELDS.join(', ')}`,
        );
      }
    }
    // An empty mask writes every field, except a name or points the caller did not give (a
    // client older than those fields sends '' and nothing): those are kept.
    const fields =
      mask.length === 0
        ? SERVICE_FIELDS.filter(
            (f) =>
              !(f === 'name' && draft.name === '') &&
              !(f === 'points' && draft.points === undefined),
          )
        : [...new Set(mask)];
    if (fields.includes('name') && draft.name === '') {
      throw new InvalidArgumentError('service.name', 'must not be empty');
    }
    const patch = validFields(draft, fields as (keyof ServiceFields)[]);
    const row = await this.db.transaction().execute(async (trx) => {
      const before = await lockService(trx, id);
      // A masked write of one of them must agree with the stored other.
      requireCapForPartial(
        patch.check_settings ?? checkSettingsFromStored(before.check_settings),
        'score_cap' in patch ? (patch.score_cap ?? null) : before.score_cap,
        'service.',
      );
      const after = await updateService(trx, id, patch);
      const changed = (Object.keys(patch) as (keyof ServiceFields)[]).filter(
        (f) => before[f] !== after[f],
      );
      if (changed.length > 0) {
        const team = await findTeam(trx, after.team_id);
        await appendAudit(trx, {
          tokenId: actorToken(principal),
          action: 'update_service',
          subject: `service ${id} (${team.name}/${after.name})`,
          reason: changed.includes('down_reason') ? after.down_reason : '',
          before: auditedFields(before, changed),
          after: auditedFields(after, changed),
        });
      }
      return after;
    });
    this.notifier.changed(row.id);
    return row;
  }

  /** A service the principal may not see is NOT_FOUND, as if it did not exist. */
  async getService(id: number, principal: Principal): Promise<ServiceRow> {
    const row = await findService(this.reads.for(principal), requireId('id', id));
    if (!canSeeService(principal, row)) throw new NotFoundError('service', id);
    return redactService(principal, row);
  }

  /** The services `principal` may see. */
  async listServices(teamId: number | undefined, principal: Principal): Promise<ServiceRow[]> {
    const rows = await listServices(this.reads.for(principal), {
      teamId: optionalId('team_id', teamId),
      visibleTo: principal,
    });
    return rows.map((row) => redactService(principal, row));
  }

  /** The same services, only `columns` of each (a read mask's), redacted alike. */
  async listServiceColumns(
    teamId: number | undefined,
    principal: Principal,
    columns: readonly ServiceColumn[],
  ): Promise<Partial<ServiceRow>[]> {
    const rows = await listServiceColumns(
      this.reads.for(principal),
      { teamId: optionalId('team_id', teamId), visibleTo: principal },
      columns,
    );
    return rows.map((row) => redactService(principal, row));
  }

  createCredentialPool(
    name: string,
    credentials: CredentialInput[],
  ): Promise<CredentialPoolWithCredentials> {
    return insertCredentialPool(this.db, nonEmpty('name', name), validCredentials(credentials));
  }

  updateCredentialPool(
    id: number,
    name: string,
    credentials: CredentialInput[],
    mask: string[],
  ): Promise<CredentialPoolWithCredentials> {
    requireId('id', id);
    for (const path of mask) {
      if (path !== 'name' && path !== 'credentials') {
        throw new InvalidArgumentError(
          'update_mask',
          `unknown field "${path}"; writable: name, credentials`,
        );
      }
    }
    const all = mask.length === 0;
    return updateCredentialPool(this.db, id, {
      ...(all || mask.includes('name') ? { name: nonEmpty('name', name) } : {}),
      ...(all || mask.includes('credentials')
        ? { credentials: validCredentials(credentials) }
        : {}),
    });
  }

  /**
   * A check runner limited to some subtypes or services reads only the pools its services use;
   * any other pool is NOT_FOUND to it, as if it did not exist.
   */
  getCredentialPool(id: number, principal: Principal): Promise<CredentialPoolWithCredentials> {
    return findCredentialPool(this.db, requireId('id', id), principal);
  }

  listCredentialPools(principal: Principal): Promise<CredentialPoolWithCredentials[]> {
    return listCredentialPools(this.db, { visibleTo: principal });
  }
}

/** The named fields of a service for its audit entry; a password only as set or not. */
function auditedFields(row: ServiceRow, fields: (keyof ServiceFields)[]): Record<string, unknown> {
  return Object.fromEntries(
    fields.map((f) => [f, f === 'password' ? (row.password === '' ? '' : '(set)') : row[f]]),
  );
}
