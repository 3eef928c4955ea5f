import Ajv2020, { type ErrorObject } from 'ajv/dist/2020.js';
import type { Problem } from './event-file-error.js';
import { pointerToPath } from './file-path.js';

// Imported, not read beside this module at run time: a compiled app carries it inside its bundle.
import schema from '../event-file.schema.json' with { type: 'json' };

const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
// Our own keyword: the message a refusal says instead of Ajv's (a pattern's meaning, say).
ajv.addVocabulary(['x-message']);
const validate = ajv.compile(schema);

const got = (data: unknown) =>
  data === null
    ? 'null'
    : Array.isArray(data)
      ? 'a list'
      : typeof data === 'object'
        ? 'a mapping'
        : JSON.stringify(data);

function message(e: ErrorObject): { extra?: string; text: string } {
  const parent: Readonly<Record<string, unknown>> | undefined = e.parentSchema;
  const custom = parent?.['x-message'];
  if (typeof custom === 'string') return { text: `${custom}, got ${got(e.data)}` };
  switch (e.keyword) {
    case 'required':
      return { extra: String(e.params.missingProperty), text: 'is required' };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(e.params.additionalProperty ?? e.params.unevaluatedProperty);
      return { extra: key, text: 'is not a field here (a typo?)' };
    }
    case 'minimum':
    case 'maximum': {
      const min = parent?.minimum;
      const max = parent?.maximum;
      if (typeof min === 'number' && typeof max === 'number') {
        return { text: `must be ${min}–${max}, got ${got(e.data)}` };
      }
      return { text: `${e.message ?? 'is out of range'}, got ${got(e.data)}` };
    }
    case 'type':
      return { text: `must be ${String(e.params.type).replace(',', ' or ')}, got ${got(e.data)}` };
    case 'minLength':
      return { text: e.params.limit === 1 ? 'must not be empty' : `${e.message}` };
    default:
      return { text: e.message ?? `fails ${e.keyword}` };
  }
}

/**
 * What the JSON Schema says is wrong with `data`, a problem per place. Where a field may be one
 * of several shapes (anyOf), its own message replaces those of each shape.
 */
export function schemaProblems(data: unknown): Problem[] {
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  const anyOfAt = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const e of errors) {
    if (anyOfAt.has(e.instancePath) && e.keyword !== 'anyOf') continue;
    const { extra, text } = message(e);
    const path = pointerToPath(e.instancePath, data);
    if (extra !== undefined) path.push(extra);
    const key = `${path.join('\u0000')}\u0000${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ path, message: text });
  }
  return problems;
}
