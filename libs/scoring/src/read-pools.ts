import type { Principal } from '@checkwire/auth';
import type { Db } from '@checkwire/db';

/**
 * Where a read runs. The stack's own apps and the white team (admin, check runners, the scheduler,
 * the gateway) read on the main pool, beside the scoring writes they are part of; the people
 * watching (blue, red, green, the public) read on a small pool of their own, so however many of
 * them read at once, they never hold a connection a score is waiting for.
 */
export class ReadPools {
  constructor(
    private readonly main: Db,
    private readonly people: Db,
  ) {}

  for(principal: Principal): Db {
    switch (principal.role) {
      case 'blue':
      case 'red':
      case 'green':
      case 'public':
        return this.people;
      default:
        return this.main;
    }
  }
}
