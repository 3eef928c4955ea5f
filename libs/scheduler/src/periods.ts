const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** lcservice's cadences, by wire suffix. */
export const PERIODS: Record<string, number> = {
  '1h': HOUR,
  '3h': 3 * HOUR,
  '12h': 12 * HOUR,
  '24h': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
};

export type Scope = 'global' | 'org' | 'sensor';

/** The wire etype of a periodic callback. */
export function periodicEtype(scope: Scope, period: string): string {
  const prefix = scope === 'global' ? 'once_per' : scope === 'org' ? 'org_per' : 'sensor_per';
  return `${prefix}_${period}`;
}

/** The LcHandlerService method (camelCase) of a periodic callback. */
export function periodicMethod(scope: Scope, period: string): string {
  const n = period.slice(0, -1);
  const unit = period.endsWith('h') ? 'Hour' : 'Day';
  const suffix = scope === 'global' ? 'Globally' : scope === 'org' ? 'PerOrg' : 'PerSensor';
  return `every${n}${unit}${suffix}`;
}
