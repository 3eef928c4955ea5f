import { InvalidArgumentError } from '@checkwire/errors';
import type { WireContentRule, WireServiceCheckSettings } from './wire.js';

// A service's check settings as people write them, in the competition file and the console's
// editor (snake_case, a rule as a one-key object, a header rule as a rule with a name), and in
// the contract's messages (WireServiceCheckSettings). Not validated here: checkSettingsFromWire
// does that where they are written.

/** One test of a check's content: exactly one key. */
export type FileContentRule =
  { contains: string } | { exact: string } | { regex: string } | { sha256: string };

/** A service's check settings as the competition file spells them. */
export interface FileCheckSettings {
  expect?: FileContentRule[];
  reject?: FileContentRule[];
  partial?: boolean;
  http?: {
    status?: number[];
    /** A content rule on a header: `{ name: server, contains: nginx }`. */
    headers?: ({ name: string } & FileContentRule)[];
    max_redirects?: number;
    verify_tls?: boolean;
    login?: {
      url: string;
      username_field: string;
      password_field: string;
      fields?: Record<string, string>;
    };
  };
  dns?: { record_type?: string };
  sql?: { query?: string };
}

function ruleToWire(r: FileContentRule): WireContentRule {
  if ('contains' in r) return { rule: { $case: 'contains', value: r.contains } };
  if ('exact' in r) return { rule: { $case: 'exact', value: r.exact } };
  if ('regex' in r) return { rule: { $case: 'regex', value: r.regex } };
  return { rule: { $case: 'sha256', value: r.sha256 } };
}

function ruleFromWire(r: WireContentRule | undefined): FileContentRule {
  switch (r?.rule?.$case) {
    case 'contains':
      return { contains: r.rule.value };
    case 'exact':
      return { exact: r.rule.value };
    case 'regex':
      return { regex: r.rule.value };
    case 'sha256':
      return { sha256: r.rule.value };
    default:
      // The server answers only validated settings; an empty rule would be refused on apply.
      return { contains: '' };
  }
}

export function checkSettingsFileToWire(
  c: FileCheckSettings | undefined,
): WireServiceCheckSettings | undefined {
  if (c === undefined) return undefined;
  return {
    expect: (c.expect ?? []).map(ruleToWire),
    reject: (c.reject ?? []).map(ruleToWire),
    partial: c.partial ?? false,
    http: {
      status: c.http?.status ?? [],
      headers: (c.http?.headers ?? []).map(({ name, ...rule }) => ({
        // Absent in a file whose schema could not require it: refused by name on the server.
        name: name ?? '',
        rule: ruleToWire(rule),
      })),
      maxRedirects: c.http?.max_redirects ?? 0,
      verifyTls: c.http?.verify_tls ?? false,
      login:
        c.http?.login === undefined
          ? undefined
          : {
              url: c.http.login.url ?? '',
              usernameField: c.http.login.username_field ?? '',
              passwordField: c.http.login.password_field ?? '',
              fields: c.http.login.fields ?? {},
            },
    },
    dns: { recordType: c.dns?.record_type ?? '' },
    sql: { query: c.sql?.query ?? '' },
  };
}

/** The file's spelling, leaving out every default (undefined: no settings at all). */
export function checkSettingsWireToFile(
  p: WireServiceCheckSettings | undefined,
): FileCheckSettings | undefined {
  if (p === undefined) return undefined;
  const h = p.http;
  const http: NonNullable<FileCheckSettings['http']> = {
    ...(h && h.status.length > 0 ? { status: h.status } : {}),
    ...(h && h.headers.length > 0
      ? { headers: h.headers.map((x) => ({ name: x.name, ...ruleFromWire(x.rule) })) }
      : {}),
    ...(h && h.maxRedirects > 0 ? { max_redirects: h.maxRedirects } : {}),
    ...(h?.verifyTls === true ? { verify_tls: true } : {}),
    ...(h?.login === undefined
      ? {}
      : {
          login: {
            url: h.login.url,
            username_field: h.login.usernameField,
            password_field: h.login.passwordField,
            ...(Object.keys(h.login.fields).length > 0 ? { fields: h.login.fields } : {}),
          },
        }),
  };
  const c: FileCheckSettings = {
    ...(p.expect.length > 0 ? { expect: p.expect.map(ruleFromWire) } : {}),
    ...(p.reject.length > 0 ? { reject: p.reject.map(ruleFromWire) } : {}),
    ...(p.partial ? { partial: true } : {}),
    ...(Object.keys(http).length > 0 ? { http } : {}),
    ...(p.dns && p.dns.recordType !== '' && p.dns.recordType !== 'A'
      ? { dns: { record_type: p.dns.recordType } }
      : {}),
    ...(p.sql && p.sql.query !== '' ? { sql: { query: p.sql.query } } : {}),
  };
  return Object.keys(c).length === 0 ? undefined : c;
}

const RULE_KEYS = ['contains', 'exact', 'regex', 'sha256'] as const;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks that `value` has only `keys`, each of the kind named. */
function shape(
  field: string,
  value: unknown,
  kinds: Record<string, 'string' | 'boolean' | 'number' | 'array' | 'object'>,
): Record<string, unknown> {
  if (!isObject(value)) throw new InvalidArgumentError(field, 'must be an object');
  for (const [k, v] of Object.entries(value)) {
    const kind = Object.hasOwn(kinds, k) ? kinds[k] : undefined;
    if (kind === undefined) {
      throw new InvalidArgumentError(
        `${field}.${k.slice(0, 40)}`,
        `is not a setting here (known: ${Object.keys(kinds).join(', ')})`,
      );
    }
    const ok =
      kind === 'array' ? Array.isArray(v) : kind === 'object' ? isObject(v) : typeof v === kind;
    if (!ok)
      throw new InvalidArgumentError(
        `${field}.${k}`,
        `must be ${kind === 'array' ? 'a list' : `a ${kind}`}`,
      );
  }
  return value;
}

function fileRule(field: string, value: unknown, extra: Record<string, 'string'> = {}): void {
  const r = shape(field, value, {
    ...extra,
    ...Object.fromEntries(RULE_KEYS.map((k) => [k, 'string' as const])),
  });
  if (RULE_KEYS.filter((k) => k in r).length !== 1)
    throw new InvalidArgumentError(field, `must hold exactly one of ${RULE_KEYS.join(', ')}`);
}

/**
 * Settings in the file's spelling from untrusted JSON (the console's editor), checked for shape
 * only, naming the field at fault; checkSettingsFromWire then checks the values.
 */
export function readFileCheckSettings(field: string, value: unknown): FileCheckSettings {
  const c = shape(field, value, {
    expect: 'array',
    reject: 'array',
    partial: 'boolean',
    http: 'object',
    dns: 'object',
    sql: 'object',
  });
  for (const list of ['expect', 'reject'] as const) {
    ((c[list] ?? []) as unknown[]).forEach((r, i) => fileRule(`${field}.${list}[${i}]`, r));
  }
  if (c.http !== undefined) {
    const h = shape(`${field}.http`, c.http, {
      status: 'array',
      headers: 'array',
      max_redirects: 'number',
      verify_tls: 'boolean',
      login: 'object',
    });
    ((h.status ?? []) as unknown[]).forEach((s, i) => {
      if (typeof s !== 'number')
        throw new InvalidArgumentError(`${field}.http.status[${i}]`, 'must be a number');
    });
    ((h.headers ?? []) as unknown[]).forEach((r, i) => {
      fileRule(`${field}.http.headers[${i}]`, r, { name: 'string' });
      if (!('name' in (r as object)))
        throw new InvalidArgumentError(`${field}.http.headers[${i}].name`, 'is required');
    });
    if (h.login !== undefined) {
      const l = shape(`${field}.http.login`, h.login, {
        url: 'string',
        username_field: 'string',
        password_field: 'string',
        fields: 'object',
      });
      for (const k of ['url', 'username_field', 'password_field'])
        if (!(k in l)) throw new InvalidArgumentError(`${field}.http.login.${k}`, 'is required');
      for (const [k, v] of Object.entries(l.fields ?? {}))
        if (typeof v !== 'string')
          throw new InvalidArgumentError(
            `${field}.http.login.fields.${k.slice(0, 40)}`,
            'must be a string',
          );
    }
  }
  if (c.dns !== undefined) shape(`${field}.dns`, c.dns, { record_type: 'string' });
  if (c.sql !== undefined) shape(`${field}.sql`, c.sql, { query: 'string' });
  return c;
}
