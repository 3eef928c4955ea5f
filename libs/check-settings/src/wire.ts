import { InvalidArgumentError } from '@checkwire/errors';
import {
  DNS_RECORD_TYPES,
  NO_CHECK_SETTINGS,
  type ContentRule,
  type DnsRecordType,
  type FormLogin,
  type HeaderRule,
  type ServiceCheckSettings,
} from './check-settings.js';
import { compilePattern } from './content-rule.js';

// The proto messages' shape (checkwire.scoring.v1.ServiceCheckSettings as ts-proto generates it),
// written out here so this util lib needs no generated code: scoring and the runner pass the
// generated objects, which TypeScript checks against these structurally.

export interface WireContentRule {
  rule?:
    | { $case: 'contains'; value: string }
    | { $case: 'exact'; value: string }
    | { $case: 'regex'; value: string }
    | { $case: 'sha256'; value: string }
    | undefined;
}

export interface WireServiceCheckSettings {
  expect: WireContentRule[];
  reject: WireContentRule[];
  partial: boolean;
  http?:
    | {
        status: number[];
        headers: { name: string; rule?: WireContentRule | undefined }[];
        maxRedirects: number;
        verifyTls: boolean;
        login?:
          | {
              url: string;
              usernameField: string;
              passwordField: string;
              fields: { [key: string]: string };
            }
          | undefined;
      }
    | undefined;
  dns?: { recordType: string } | undefined;
  sql?: { query: string } | undefined;
}

export const MAX_RULES = 32;
export const MAX_RULE_TEXT = 4096;
export const MAX_PATTERN = 1000;
/** `[0-9a-f]{64}` compiles to 67 instructions, `(?i)` about doubles a pattern. */
export const MAX_PROGRAM_SIZE = 300;
export const MAX_REDIRECTS = 10;
export const MAX_QUERY = 4000;
const MAX_FIELD_NAME = 128;
const MAX_URL = 2048;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
const SHA256 = /^[0-9a-f]{64}$/i;

const refuse = (field: string, problem: string): never => {
  throw new InvalidArgumentError(field, problem);
};
const quoted = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

function text(field: string, value: string, max: number, emptyOk: boolean): string {
  if (!emptyOk && value === '') refuse(field, 'must not be empty');
  if (value.length > max) refuse(field, `must be at most ${max} characters, got ${value.length}`);
  if (value.includes('\0')) refuse(field, 'must not hold a NUL character');
  return value;
}

function contentRule(field: string, wire: WireContentRule | undefined): ContentRule {
  const r = wire?.rule;
  if (r === undefined) return refuse(field, 'must name one of contains, exact, regex or sha256');
  switch (r.$case) {
    case 'contains':
      return { contains: text(`${field}.contains`, r.value, MAX_RULE_TEXT, false) };
    case 'exact':
      return { exact: text(`${field}.exact`, r.value, MAX_RULE_TEXT, true) };
    case 'regex': {
      const pattern = text(`${field}.regex`, r.value, MAX_PATTERN, false);
      let size = 0;
      try {
        size = compilePattern(pattern).programSize();
      } catch (err) {
        refuse(
          `${field}.regex`,
          `is not a pattern RE2 accepts (no backreferences or lookaround): ${(err as Error).message}`,
        );
      }
      // RE2's time is the text's length times the program's size: bounded both ways.
      if (size > MAX_PROGRAM_SIZE) {
        refuse(
          `${field}.regex`,
          `is too large a pattern (${size} RE2 instructions, at most ${MAX_PROGRAM_SIZE}): use fewer or smaller counted repetitions`,
        );
      }
      return { regex: pattern };
    }
    case 'sha256':
      if (!SHA256.test(r.value))
        refuse(`${field}.sha256`, `must be 64 hex digits, got ${quoted(r.value)}`);
      return { sha256: r.value.toLowerCase() };
  }
}

function rules(field: string, wire: WireContentRule[]): ContentRule[] {
  if (wire.length > MAX_RULES)
    refuse(field, `must hold at most ${MAX_RULES} rules, got ${wire.length}`);
  return wire.map((r, i) => contentRule(`${field}[${i}]`, r));
}

function login(
  field: string,
  wire: NonNullable<NonNullable<WireServiceCheckSettings['http']>['login']>,
): FormLogin {
  const url = text(`${field}.url`, wire.url, MAX_URL, false);
  if (!/^https?:\/\//i.test(url) && !url.startsWith('/'))
    refuse(`${field}.url`, `must be an http(s) URL or a path starting with /, got ${quoted(url)}`);
  // `//host/x` and `/\host/x` are paths only in appearance: a URL resolves them to another host,
  // which would be sent the service's password.
  if (url.startsWith('//') || url.includes('\\'))
    refuse(
      `${field}.url`,
      `must not start with // or hold a backslash (it would leave the service's host), got ${quoted(url)}`,
    );
  if (/^https?:\/\//i.test(url) && !URL.canParse(url))
    refuse(`${field}.url`, `is not a valid URL: ${quoted(url)}`);
  const usernameField = text(`${field}.username_field`, wire.usernameField, MAX_FIELD_NAME, false);
  const passwordField = text(`${field}.password_field`, wire.passwordField, MAX_FIELD_NAME, false);
  if (usernameField === passwordField)
    refuse(`${field}.password_field`, 'must differ from username_field');
  const entries = Object.entries(wire.fields);
  if (entries.length > MAX_RULES)
    refuse(`${field}.fields`, `must hold at most ${MAX_RULES} fields, got ${entries.length}`);
  // No prototype: a field named __proto__ or constructor is a field like any other.
  const fields = Object.create(null) as Record<string, string>;
  for (const [key, value] of entries) {
    text(`${field}.fields`, key, MAX_FIELD_NAME, false);
    if (key === usernameField || key === passwordField)
      refuse(`${field}.fields`, `must not name the ${quoted(key)} field: it carries a credential`);
    fields[key] = text(`${field}.fields[${quoted(key)}]`, value, MAX_RULE_TEXT, true);
  }
  return { url, usernameField, passwordField, fields };
}

/** One query (the checks run it read-only, as a query expression where the server allows). */
function sqlQuery(field: string, value: string): string {
  const query = text(field, value, MAX_QUERY, true);
  if (query !== '' && !/^[\s(]*(select|with|values|table)\b/i.test(query))
    refuse(field, `must be a query (SELECT, WITH, VALUES or TABLE …), got ${quoted(query)}`);
  return query;
}

function headerRule(field: string, wire: { name: string; rule?: WireContentRule }): HeaderRule {
  if (!HEADER_NAME.test(wire.name))
    refuse(
      `${field}.name`,
      `must be a header name (letters, digits, -…), got ${quoted(wire.name)}`,
    );
  return { name: wire.name.toLowerCase(), rule: contentRule(`${field}.rule`, wire.rule) };
}

function recordType(field: string, value: string): DnsRecordType {
  if (value === '') return 'A';
  const upper = value.toUpperCase();
  if (!(DNS_RECORD_TYPES as readonly string[]).includes(upper))
    refuse(field, `must be one of ${DNS_RECORD_TYPES.join(', ')}, got ${quoted(value)}`);
  return upper as DnsRecordType;
}

/**
 * A service's check settings from a request, validated (field names in proto spelling, under
 * `field`); absent: none. Throws InvalidArgumentError naming the first field at fault.
 */
export function checkSettingsFromWire(
  field: string,
  wire: WireServiceCheckSettings | undefined,
): ServiceCheckSettings {
  if (wire === undefined) return NO_CHECK_SETTINGS;
  const expect = rules(`${field}.expect`, wire.expect);
  const reject = rules(`${field}.reject`, wire.reject);
  if (wire.partial && expect.length < 2)
    refuse(
      `${field}.partial`,
      `needs at least two expect rules to score a share of, got ${expect.length}`,
    );
  const http = wire.http;
  const status = [...new Set(http?.status ?? [])];
  if (status.length > MAX_RULES)
    refuse(`${field}.http.status`, `must hold at most ${MAX_RULES} statuses`);
  status.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 100 || s > 599)
      refuse(`${field}.http.status[${i}]`, `must be an HTTP status (100..599), got ${s}`);
  });
  const headers = http?.headers ?? [];
  if (headers.length > MAX_RULES)
    refuse(`${field}.http.headers`, `must hold at most ${MAX_RULES} rules, got ${headers.length}`);
  const maxRedirects = http?.maxRedirects ?? 0;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0 || maxRedirects > MAX_REDIRECTS)
    refuse(`${field}.http.max_redirects`, `must be 0..${MAX_REDIRECTS}, got ${maxRedirects}`);
  return {
    expect,
    reject,
    partial: wire.partial,
    http: {
      status,
      headers: headers.map((h, i) => headerRule(`${field}.http.headers[${i}]`, h)),
      maxRedirects,
      verifyTls: http?.verifyTls ?? false,
      login: http?.login === undefined ? undefined : login(`${field}.http.login`, http.login),
    },
    dns: { recordType: recordType(`${field}.dns.record_type`, wire.dns?.recordType ?? '') },
    sql: { query: sqlQuery(`${field}.sql.query`, wire.sql?.query ?? '') },
  };
}

function ruleToWire(rule: ContentRule): WireContentRule {
  if ('contains' in rule) return { rule: { $case: 'contains', value: rule.contains } };
  if ('exact' in rule) return { rule: { $case: 'exact', value: rule.exact } };
  if ('regex' in rule) return { rule: { $case: 'regex', value: rule.regex } };
  return { rule: { $case: 'sha256', value: rule.sha256 } };
}

/** Validated settings in the proto messages' shape (to answer a read). */
export function checkSettingsToWire(s: ServiceCheckSettings): WireServiceCheckSettings {
  return {
    expect: s.expect.map(ruleToWire),
    reject: s.reject.map(ruleToWire),
    partial: s.partial,
    http: {
      status: s.http.status,
      headers: s.http.headers.map((h) => ({ name: h.name, rule: ruleToWire(h.rule) })),
      maxRedirects: s.http.maxRedirects,
      verifyTls: s.http.verifyTls,
      login: s.http.login,
    },
    dns: { recordType: s.dns.recordType },
    sql: { query: s.sql.query },
  };
}
