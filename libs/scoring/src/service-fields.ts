import { checkSettingsFromStored, checkSettingsToWire } from '@checkwire/check-settings';
import type { ServiceRow } from '@checkwire/db';
import { InvalidArgumentError } from '@checkwire/errors';
import { Service } from '@checkwire/proto';

/** A column of the service table. */
export type ServiceColumn = keyof ServiceRow;

interface FieldReader<K extends keyof Service> {
  /** The columns `read` looks at. */
  columns: readonly ServiceColumn[];
  read: (row: ServiceRow) => Service[K];
}

/** A field that is its column as stored. */
const stored = <C extends ServiceColumn>(column: C) => ({
  columns: [column] as const,
  read: (r: ServiceRow) => r[column],
});

/** A field read from a nullable column: unset in the message while the column is null. */
const unlessNull = <C extends ServiceColumn>(column: C) => ({
  columns: [column] as const,
  read: (r: ServiceRow) => r[column] ?? undefined,
});

/** Each Service field, in the message's order: the columns it is read from, and how. */
const READERS: { [K in keyof Service]-?: FieldReader<K> } = {
  id: stored('id'),
  teamId: stored('team_id'),
  subtype: stored('subtype'),
  url: stored('url'),
  port: stored('port'),
  external: stored('external'),
  username: stored('username'),
  password: stored('password'),
  credentialPoolId: unlessNull('credential_pool_id'),
  teamSpecificInfo: stored('team_specific_info'),
  protocol: stored('protocol'),
  httpString: stored('http_string'),
  teamSpecific: stored('team_specific'),
  publicVisibility: stored('public_visibility'),
  blueVisibility: stored('blue_visibility'),
  greenVisibility: stored('green_visibility'),
  redVisibility: stored('red_visibility'),
  administrativelyDown: stored('administratively_down'),
  downReason: stored('down_reason'),
  scoreCap: unlessNull('score_cap'),
  lastScan: unlessNull('last_scan'),
  lastScanTime: unlessNull('last_scan_time'),
  lastScanError: unlessNull('last_scan_error'),
  inProgress: stored('in_progress'),
  createdAt: stored('created_at'),
  updatedAt: stored('updated_at'),
  name: stored('name'),
  points: stored('points'),
  disabled: { columns: ['disabled_at'], read: (r) => r.disabled_at !== null },
  runnerPool: stored('runner_pool'),
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
