import type { CurrentCompetition, DesiredCompetition } from './competition-plan.js';

// A blue team's password change request, once applied, outranks the competition file: the file
// still holds the old password, and applying it again (to add a service, say) must not lock the
// team out of its own service. Pure: the service reads which credentials are held, this keeps them.

/** Credentials an applied password change request set and nobody has changed since. */
export interface HeldCredentials {
  /** By service id: the request that set its username and password. */
  services: ReadonlyMap<number, number>;
  /** By pool id, then entry username: the request that set that entry's password. */
  poolEntries: ReadonlyMap<number, ReadonlyMap<string, number>>;
}

/**
 * `desired` with held credentials in place of the file's, and a line per credential kept where
 * the file said otherwise.
 */
export function keepHeldCredentials(
  current: CurrentCompetition,
  desired: DesiredCompetition,
  held: HeldCredentials,
): { desired: DesiredCompetition; kept: string[] } {
  const kept: string[] = [];
  const teamName = new Map(current.teams.map((t) => [t.id, t.name]));
  const stored = new Map(
    current.services.map((s) => [`${teamName.get(s.team_id)}\u0000${s.name}`, s]),
  );
  const teams = desired.teams.map((team) => ({
    ...team,
    services: team.services.map((service) => {
      const now = stored.get(`${team.name}\u0000${service.name}`);
      const pcr = now === undefined ? undefined : held.services.get(now.id);
      if (now === undefined || pcr === undefined) return service;
      if (now.username !== service.username || now.password !== service.password) {
        kept.push(
          `${team.name}/${service.name}: username and password kept (password change request ${pcr})`,
        );
      }
      return { ...service, username: now.username, password: now.password };
    }),
  }));
  const poolsByName = new Map(current.pools.map((p) => [p.name, p]));
  const pools = desired.pools.map((pool) => {
    const now = poolsByName.get(pool.name);
    const entries = now === undefined ? undefined : held.poolEntries.get(now.id);
    if (now === undefined || entries === undefined) return pool;
    const password = new Map(now.credentials.map((c) => [c.username, c.password]));
    return {
      ...pool,
      credentials: pool.credentials.map((c) => {
        const pcr = entries.get(c.username);
        const held = password.get(c.username);
        if (pcr === undefined || held === undefined) return c;
        if (held !== c.password) {
          kept.push(
            `credential pool ${pool.name}, entry "${c.username}": password kept (password change request ${pcr})`,
          );
        }
        return { ...c, password: held };
      }),
    };
  });
  return { desired: { ...desired, teams, pools }, kept };
}
