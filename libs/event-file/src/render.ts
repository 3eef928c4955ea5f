import { stringify } from 'yaml';
import type { EventCompetition, EventService } from './event-file.types.js';

/** Every string with its `$` written `$$`, so loading it back reads no ${ENV} reference. */
function escapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$');
  if (Array.isArray(value)) return value.map(escapeDollars);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDollars(v)]));
  }
  return value;
}

/** A service as written back: fields at their defaults ('' / false / absent) are left out. */
function compact(service: EventService): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(service)) {
    if (value === '' || value === false || value === undefined) continue;
    if (key === 'port' && value === 0) continue;
    out[key] = value;
  }
  return out;
}

/**
 * The competition as a file `apply` takes back unchanged: no templates (every service spelled
 * out), secrets written as they are (the caller decides where the file goes).
 */
export function renderEventFile(competition: EventCompetition, header: string): string {
  const checks = Object.fromEntries(Object.entries(competition.checks).filter(([, v]) => v !== 0));
  const doc = {
    name: competition.name,
    ...(Object.keys(checks).length > 0 ? { checks } : {}),
    ...(competition.password_changes.mode === 'approval'
      ? {}
      : {
          password_changes: {
            mode: competition.password_changes.mode,
            ...(competition.password_changes.delay_seconds > 0
              ? { delay_seconds: competition.password_changes.delay_seconds }
              : {}),
          },
        }),
    ...(competition.sla === undefined || competition.sla.model === 'off'
      ? {}
      : { sla: competition.sla }),
    ...(competition.credential_pools.length > 0
      ? { credential_pools: competition.credential_pools }
      : {}),
    teams: competition.teams.map((t) => ({
      name: t.name,
      ...(t.services.length > 0 ? { services: t.services.map(compact) } : {}),
    })),
  };
  const comment = header
    .split('\n')
    .map((l) => `# ${l}`.trimEnd())
    .join('\n');
  return `${comment}\n${stringify(escapeDollars(doc), { lineWidth: 0 })}`;
}
