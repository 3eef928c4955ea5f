import { PermissionDeniedError, UnauthenticatedError } from '@checkwire/errors';
import { describePrincipal, type Principal, type RoleName } from './principal.js';

/**
 * Refuses a call the principal's role may not make: UNAUTHENTICATED for the public (a token
 * would help), PERMISSION_DENIED for a token of the wrong role.
 */
export function requireRole(
  principal: Principal,
  allowed: readonly RoleName[],
  what: string,
): void {
  if (allowed.includes(principal.role)) return;
  const needs = `needs ${allowed.filter((r) => r !== 'public').join(' or ')}`;
  if (principal.role === 'public') {
    throw new UnauthenticatedError(
      `${what} ${needs}: send metadata 'authorization: Bearer <token>'`,
    );
  }
  throw new PermissionDeniedError(`${describePrincipal(principal)} may not ${what}; it ${needs}`);
}
