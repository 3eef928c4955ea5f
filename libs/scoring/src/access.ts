import {
  CallGuard,
  isLimitedRunner,
  requireMayScore,
  type Authenticator,
  type CallGuardOptions,
  type Principal,
} from '@checkwire/auth';
import type { Db } from '@checkwire/db';
import { PermissionDeniedError } from '@checkwire/errors';
import { serviceOfScore, serviceSubtypes } from './service-visibility.repository.js';

/**
 * The access edge of every scoring RPC: the role check (CallGuard), and, for check runners
 * limited to some subtypes or services, a check of the services they touch.
 */
export class Access extends CallGuard {
  constructor(
    authenticator: Authenticator,
    private readonly db: Db,
    options: CallGuardOptions = {},
  ) {
    super(authenticator, options);
  }

  /** A limited runner may score only its services (one query); others pass without one. */
  async requireMayScoreServices(principal: Principal, ids: readonly number[]): Promise<void> {
    if (!isLimitedRunner(principal)) return;
    // Malformed ids are the action's to refuse (INVALID_ARGUMENT), missing ones its NOT_FOUND.
    const wellFormed = [...new Set(ids)].filter((id) => Number.isSafeInteger(id) && id > 0);
    const found = new Map((await serviceSubtypes(this.db, wellFormed)).map((s) => [s.id, s]));
    for (const id of wellFormed) {
      // A service that does not exist is refused like one it may not score: a limited runner
      // learns nothing about services outside its limits, not even whether they exist.
      requireMayScore(principal, found.get(id) ?? { id, subtype: '' });
    }
  }

  async requireMayScoreScore(principal: Principal, scoreId: number): Promise<void> {
    if (!isLimitedRunner(principal) || !Number.isSafeInteger(scoreId) || scoreId <= 0) return;
    const service = await serviceOfScore(this.db, scoreId);
    if (service !== undefined) requireMayScore(principal, service);
  }

  /**
   * The scheduler scores only give-ups: a 0 for a check that ran out of attempts, without a run
   * (it never opened one). Anything else needs a check_runner token.
   */
  requireGiveUpsOnly(
    principal: Principal,
    entries: readonly { result: number; checkRunId: number }[],
  ): void {
    if (principal.role !== 'scheduler') return;
    const i = entries.findIndex((e) => e.result !== 0 || e.checkRunId !== 0);
    if (i < 0) return;
    throw new PermissionDeniedError(
      `a scheduler token may only record give-ups (result 0, check_run_id 0); entries[${i}] is not one`,
    );
  }
}
