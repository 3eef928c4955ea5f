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

/** Whether settings change nothing (a service without any; left out of an export). */
export function isNoCheckSettings(s: ServiceCheckSettings): boolean {
  return (
    JSON.stringify(checkSettingsFromStored(s)) ===
    JSON.stringify(checkSettingsFromStored(NO_CHECK_SETTINGS))
  );
}

/** Whether the settings hold content rules a check must judge its content by. */
export const hasContentRules = (s: ServiceCheckSettings): boolean =>
  s.expect.length > 0 || s.reject.length > 0;
