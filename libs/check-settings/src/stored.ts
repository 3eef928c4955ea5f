import { NO_CHECK_SETTINGS, type ServiceCheckSettings } from './check-settings.js';

/**
 * Settings as the database holds them (validated before they were written; a row written before
 * a setting existed lacks it, and gets its default here).
 */
export function checkSettingsFromStored(stored: unknown): ServiceCheckSettings {
  const s = (stored ?? {}) as Partial<ServiceCheckSettings>;
  return {
    expect: s.expect ?? [],
    reject: s.reject ?? [],
    partial: s.partial ?? false,
    http: { ...NO_CHECK_SETTINGS.http, ...s.http },
    dns: { ...NO_CHECK_SETTINGS.dns, ...s.dns },
    sql: { ...NO_CHECK_SETTINGS.sql, ...s.sql },
  };
}

/** JSON with every object's keys sorted (jsonb gives keys back in an order of its own). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether two services' settings are the same (as stored, or as validated). */
export const sameCheckSettings = (a: unknown, b: unknown): boolean =>
  canonical(checkSettingsFromStored(a)) === canonical(checkSettingsFromStored(b));

/** Whether settings change nothing (a service without any; left out of an export). */
export const isNoCheckSettings = (s: unknown): boolean => sameCheckSettings(s, NO_CHECK_SETTINGS);

/** Settings in a few words, for a plan or a listing: `expect 2 rules, http status 200, dns MX`. */
export function describeCheckSettings(stored: unknown): string {
  const s = checkSettingsFromStored(stored);
  const h = s.http;
  const parts = [
    s.expect.length > 0 ? `expect ${s.expect.length} rule${s.expect.length === 1 ? '' : 's'}` : '',
    s.reject.length > 0 ? `reject ${s.reject.length} rule${s.reject.length === 1 ? '' : 's'}` : '',
    s.partial ? 'partial' : '',
    h.status.length > 0 ? `http status ${h.status.join('/')}` : '',
    h.headers.length > 0
      ? `${h.headers.length} header rule${h.headers.length === 1 ? '' : 's'}`
      : '',
    h.maxRedirects > 0 ? `up to ${h.maxRedirects} redirects` : '',
    h.verifyTls ? 'TLS verified' : '',
    h.login !== undefined ? `form login at ${h.login.url}` : '',
    s.dns.recordType !== 'A' ? `dns ${s.dns.recordType}` : '',
    s.sql.query !== '' ? 'sql query' : '',
  ].filter((p) => p !== '');
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** Whether the settings hold content rules a check must judge its content by. */
export const hasContentRules = (s: ServiceCheckSettings): boolean =>
  s.expect.length > 0 || s.reject.length > 0;
