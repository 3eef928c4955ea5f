import { PermissionDeniedError } from '@checkwire/errors';
import type { Principal } from './principal.js';

/** What the visibility rules need to know about a service. */
export interface VisibleService {
  id: number;
  team_id: number;
  subtype: string;
  public_visibility: boolean;
  blue_visibility: boolean;
  green_visibility: boolean;
  red_visibility: boolean;
}

/** A check runner's limits (empty lists: no limit). */
export function runnerCovers(
  p: Extract<Principal, { role: 'check_runner' }>,
  service: { id: number; subtype: string },
): boolean {
  return (
    (p.subtypes.length === 0 || p.subtypes.includes(service.subtype)) &&
    (p.serviceIds.length === 0 || p.serviceIds.includes(service.id))
  );
}

/**
 * Whether the principal may see this service at all. Mirrors the SQL filter in libs/scoring
 * (service-visibility.repository.ts); the role × RPC matrix test holds both to the same answers.
 */
export function canSeeService(p: Principal, s: VisibleService): boolean {
  switch (p.role) {
    case 'admin':
      return true;
    case 'check_runner':
      return runnerCovers(p, s);
    // People with a token see at least what the public sees.
    case 'blue':
      return s.team_id === p.teamId || s.blue_visibility || s.public_visibility;
    case 'red':
      return s.red_visibility || s.public_visibility;
    case 'green':
      return s.green_visibility || s.public_visibility;
    case 'public':
      return s.public_visibility;
    case 'lc_gateway':
      return false;
    case 'scheduler':
      // It schedules every service's checks (ListServices without secrets or error texts).
      return true;
  }
}

/** Passwords (of services and credential pools) and usernames: admin and check runners only. */
export function maySeeSecrets(p: Principal): boolean {
  return p.role === 'admin' || p.role === 'check_runner';
}

/**
 * The text of a check's failure (a score's error_msg, a service's last_scan_error): admin only.
 * Error texts can quote what a check saw (banners, responses, credentials it tried); check runners
 * write them but never need to read them back.
 */
export function maySeeErrorText(p: Principal): boolean {
  return p.role === 'admin';
}

/** A check runner limited to some subtypes/services may score only those. */
export function requireMayScore(p: Principal, service: { id: number; subtype: string }): void {
  if (p.role !== 'check_runner' || runnerCovers(p, service)) return;
  throw new PermissionDeniedError(
    // Only the id the caller sent and its own limits: nothing about a service it may not see.
    `this check_runner token may not score service ${service.id}; it is limited to ${limits(p)}`,
  );
}

function limits(p: Extract<Principal, { role: 'check_runner' }>): string {
  const parts: string[] = [];
  if (p.subtypes.length > 0) parts.push(`subtypes ${p.subtypes.join(', ')}`);
  if (p.serviceIds.length > 0) parts.push(`services ${p.serviceIds.join(', ')}`);
  return parts.join(' and ');
}

/** True when the principal is a runner with limits (so its calls need a per-service check). */
export function isLimitedRunner(p: Principal): p is Extract<Principal, { role: 'check_runner' }> {
  return p.role === 'check_runner' && (p.subtypes.length > 0 || p.serviceIds.length > 0);
}
