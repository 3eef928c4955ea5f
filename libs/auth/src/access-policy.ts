import type { RoleName } from './principal.js';

/**
 * Who may call each RPC of a service, keyed by the generated server interface's method names, so
 * the compiler insists on an entry for every RPC (a new RPC without one does not build). The one
 * source for the guard, the README's role × RPC table (generated from these) and the tests.
 */
export type AccessPolicy<S> = { readonly [K in keyof S & string]: readonly RoleName[] };

export interface ServicePolicy<S> {
  /** The service's name as RPC paths show it, e.g. `JobsService`. */
  readonly service: string;
  readonly rpcs: AccessPolicy<S>;
  /** What each role sees or may do beyond the table (limits, visibility), for the README. */
  readonly notes?: Readonly<Partial<Record<keyof S & string, string>>>;
}

export function definePolicy<S>(
  service: string,
  rpcs: AccessPolicy<S>,
  notes: Partial<Record<keyof S & string, string>> = {},
): ServicePolicy<S> {
  return Object.freeze({ service, rpcs: Object.freeze({ ...rpcs }), notes: Object.freeze(notes) });
}

/** An RPC's name as its path spells it: `createJob` → `CreateJob`. */
export function rpcName(method: string): string {
  return method.charAt(0).toUpperCase() + method.slice(1);
}

/** Every role a token or the public can have, in the order tables list them. */
export const ALL_ROLES: readonly RoleName[] = Object.freeze([
  'admin',
  'check_runner',
  'scheduler',
  'lc_gateway',
  'blue',
  'red',
  'green',
  'public',
]);
