import type { Service } from '@checkwire/proto';
import { checkSettingsFileToWire, readFileCheckSettings } from '@checkwire/check-settings';
import { InvalidArgumentError } from '@checkwire/errors';
import { HttpError } from './http-errors.js';

type Kind = 'text' | 'int' | 'bool' | 'optionalInt' | 'checkSettings';

/** The fields the console edits, in the browser's spelling, with their proto name and kind. */
const FIELDS: Record<string, [proto: string, kind: Kind]> = {
  name: ['name', 'text'],
  subtype: ['subtype', 'text'],
  url: ['url', 'text'],
  port: ['port', 'int'],
  external: ['external', 'bool'],
  username: ['username', 'text'],
  password: ['password', 'text'],
  credentialPoolId: ['credential_pool_id', 'optionalInt'],
  teamSpecificInfo: ['team_specific_info', 'text'],
  protocol: ['protocol', 'text'],
  httpString: ['http_string', 'text'],
  teamSpecific: ['team_specific', 'bool'],
  publicVisibility: ['public_visibility', 'bool'],
  blueVisibility: ['blue_visibility', 'bool'],
  greenVisibility: ['green_visibility', 'bool'],
  redVisibility: ['red_visibility', 'bool'],
  administrativelyDown: ['administratively_down', 'bool'],
  downReason: ['down_reason', 'text'],
  scoreCap: ['score_cap', 'optionalInt'],
  points: ['points', 'optionalInt'],
  runnerPool: ['runner_pool', 'text'],
  checkSettings: ['check_settings', 'checkSettings'],
};

function valueOf(field: string, kind: Kind, value: unknown): unknown {
  if (kind === 'checkSettings') {
    // The file's spelling (as the editor shows it), checked for shape; scoring checks the values.
    try {
      return checkSettingsFileToWire(readFileCheckSettings(field, value));
    } catch (err) {
      if (err instanceof InvalidArgumentError) throw new HttpError(400, err.message);
      throw err;
    }
  }
  const ok =
    kind === 'text'
      ? typeof value === 'string'
      : kind === 'bool'
        ? typeof value === 'boolean'
        : (typeof value === 'number' && Number.isInteger(value)) ||
          (kind === 'optionalInt' && value === null);
  if (!ok) {
    const expected = {
      text: 'text',
      bool: 'true or false',
      int: 'a whole number',
      optionalInt: 'a whole number or null',
    }[kind];
    throw new HttpError(400, `${field}: expected ${expected}`);
  }
  return value === null ? undefined : value;
}

/**
 * A partial edit from the browser (`{"administrativelyDown": true, "downReason": "…"}`) as the
 * Service and update mask UpdateService takes: only the fields sent are written. The scoring
 * server checks the values (and says which field is wrong).
 */
export function serviceEdit(
  id: number,
  body: unknown,
): { service: Partial<Service>; updateMask: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(
      400,
      'send the fields to change as a JSON object, e.g. {"administrativelyDown": true}',
    );
  }
  const service: Record<string, unknown> = { id };
  const updateMask: string[] = [];
  for (const [field, value] of Object.entries(body)) {
    const spec = Object.hasOwn(FIELDS, field) ? FIELDS[field] : undefined;
    if (spec === undefined) {
      throw new HttpError(
        400,
        `${field.slice(0, 40)}: not a field the console edits; editable: ${Object.keys(FIELDS).join(', ')}`,
      );
    }
    service[field] = valueOf(field, spec[1], value);
    updateMask.push(spec[0]);
  }
  if (updateMask.length === 0)
    throw new HttpError(400, 'nothing to change: send at least one field');
  return { service, updateMask };
}
