import { checkSettingsFromStored, checkSettingsToWire } from '@checkwire/check-settings';
import type { ServiceRow } from '@checkwire/db';
import { InvalidArgumentError } from '@checkwire/errors';
import { Service } from '@checkwire/proto';
import { orUndefined } from './proto-mappers.js';

/** A column of the service table. */
export type ServiceColumn = keyof ServiceRow;

interface FieldReader<K extends keyof Service> {
  /** The columns `read` looks at. */
  columns: readonly ServiceColumn[];
  read: (row: ServiceRow) => Service[K];
}

/** Each Service field, in the message's order: the columns it is read from, and how. */
const READERS: { [K in keyof Service]-?: FieldReader<K> } = {
  id: { columns: ['id'], read: (r) => r.id },
  teamId: { columns: ['team_id'], read: (r) => r.team_id },
  subtype: { columns: ['subtype'], read: (r) => r.subtype },
  url: { columns: ['url'], read: (r) => r.url },
  port: { columns: ['port'], read: (r) => r.port },
  external: { columns: ['external'], read: (r) => r.external },
  username: { columns: ['username'], read: (r) => r.username },
  password: { columns: ['password'], read: (r) => r.password },
  credentialPoolId: {
    columns: ['credential_pool_id'],
    read: (r) => orUndefined(r.credential_pool_id),
  },
  teamSpecificInfo: { columns: ['team_specific_info'], read: (r) => r.team_specific_info },
  protocol: { columns: ['protocol'], read: (r) => r.protocol },
  httpString: { columns: ['http_string'], read: (r) => r.http_string },
  teamSpecific: { columns: ['team_specific'], read: (r) => r.team_specific },
  publicVisibility: { columns: ['public_visibility'], read: (r) => r.public_visibility },
  blueVisibility: { columns: ['blue_visibility'], read: (r) => r.blue_visibility },
  greenVisibility: { columns: ['green_visibility'], read: (r) => r.green_visibility },
  redVisibility: { columns: ['red_visibility'], read: (r) => r.red_visibility },
  administrativelyDown: {
    columns: ['administratively_down'],
    read: (r) => r.administratively_down,
  },
  downReason: { columns: ['down_reason'], read: (r) => r.down_reason },
  scoreCap: { columns: ['score_cap'], read: (r) => orUndefined(r.score_cap) },
  lastScan: { columns: ['last_scan'], read: (r) => orUndefined(r.last_scan) },
  lastScanTime: { columns: ['last_scan_time'], read: (r) => orUndefined(r.last_scan_time) },
  lastScanError: { columns: ['last_scan_error'], read: (r) => orUndefined(r.last_scan_error) },
  inProgress: { columns: ['in_progress'], read: (r) => r.in_progress },
  createdAt: { columns: ['created_at'], read: (r) => r.created_at },
  updatedAt: { columns: ['updated_at'], read: (r) => r.updated_at },
  name: { columns: ['name'], read: (r) => r.name },
  points: { columns: ['points'], read: (r) => r.points },
  disabled: { columns: ['disabled_at'], read: (r) => r.disabled_at !== null },
  runnerPool: { columns: ['runner_pool'], read: (r) => r.runner_pool },
  checkSettings: {
    columns: ['check_settings'],
    read: (r) => checkSettingsToWire(checkSettingsFromStored(r.check_settings)),
  },
};

type ServiceField = keyof Service;

const FIELDS = Object.keys(READERS) as ServiceField[];

/** A field's name in proto spelling, as read masks name it ("team_id" for teamId). */
const protoName = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const BY_PROTO_NAME = new Map(FIELDS.map((f) => [protoName(f), f]));

/** The whole message, from a whole row. */
export function serviceToProto(row: ServiceRow): Service {
  const service: Partial<Record<ServiceField, unknown>> = {};
  for (const f of FIELDS) service[f] = READERS[f].read(row);
  return service as Service;
}

/** A read mask (AIP-157) over Service: the fields it names, and the columns they are read from. */
export interface ServiceReadMask {
  fields: readonly ServiceField[];
  columns: readonly ServiceColumn[];
}

/** `paths` in proto spelling; empty: the whole message (undefined). Unknown names are refused. */
export function serviceReadMask(paths: readonly string[]): ServiceReadMask | undefined {
  if (paths.length === 0) return undefined;
  const fields = new Set<ServiceField>();
  for (const path of paths) {
    const field = BY_PROTO_NAME.get(path);
    if (field === undefined) {
      throw new InvalidArgumentError(
        'read_mask',
        `unknown Service field "${path}"; known: ${[...BY_PROTO_NAME.keys()].join(', ')}`,
      );
    }
    fields.add(field);
  }
  const columns = new Set<ServiceColumn>();
  for (const f of fields) for (const c of READERS[f].columns) columns.add(c);
  return { fields: [...fields], columns: [...columns] };
}

/**
 * The message with only the masked fields set (the rest at their defaults, as proto3 sends an
 * unset field). `row` holds at least the mask's columns: only their readers run.
 */
export function maskedServiceToProto(row: Partial<ServiceRow>, mask: ServiceReadMask): Service {
  const service: Partial<Record<ServiceField, unknown>> = {};
  for (const f of mask.fields) service[f] = READERS[f].read(row as ServiceRow);
  return Service.fromPartial(service as Partial<Service>);
}
