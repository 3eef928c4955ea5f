import type { TokenRoleName } from '@checkwire/db';

/** A role a caller can have: a token's role, or `public` for a call without a token. */
export type RoleName = TokenRoleName | 'public';

/** Who is calling, as established from the call's token. */
export type Principal =
  | { role: 'public' }
  | { role: 'admin'; tokenId: number }
  | {
      role: 'check_runner';
      tokenId: number;
      /** Empty: any subtype. */
      subtypes: readonly string[];
      /** Empty: any service. */
      serviceIds: readonly number[];
    }
  | { role: 'blue'; tokenId: number; teamId: number }
  | { role: 'red'; tokenId: number }
  | { role: 'green'; tokenId: number }
  /** The LC gateway: Jobs and the LC registry, nothing else. */
  | { role: 'lc_gateway'; tokenId: number }
  /** The scheduler: lists services, records give-ups, stores periodic callbacks' jobs. */
  | { role: 'scheduler'; tokenId: number };

export const PUBLIC: Principal = Object.freeze({ role: 'public' });

/** How a principal is named in error messages ("a blue token (team 3)"). */
export function describePrincipal(p: Principal): string {
  switch (p.role) {
    case 'public':
      return 'a call without a token';
    case 'blue':
      return `a blue token (team ${p.teamId})`;
    case 'admin':
      return 'an admin token';
    case 'lc_gateway':
      return 'an lc_gateway token';
    case 'scheduler':
      return 'a scheduler token';
    default:
      return `a ${p.role} token`;
  }
}
