import { createLogger } from '@checkwire/log';
import type { RegistryClient } from './callback.js';

const log = createLogger('lc-gateway');

/** How often an org's JWT is passed on to the scheduler at most. @default 10 minutes */
export const JWT_REFRESH_INTERVAL_MS = 10 * 60_000;
/** Orgs remembered for the interval; past this the longest-unrefreshed are forgotten. */
export const JWT_REFRESH_REMEMBERED = 10_000;

/**
 * Keeps the registry's JWT of an installed org fresh from the callbacks LimaCharlie sends (each
 * carries a new one; they expire within hours), so the scheduler's own periodic callbacks, the
 * interactive rule and continuations do not go out with the install-time token. At most once per
 * org and interval, off the callback's path: a refresh that fails is tried on a later callback and
 * never fails this one.
 */
export class JwtRefresher {
  /** `<route>\0<oid>` → when it was last passed on, oldest first. */
  private readonly last = new Map<string, number>();

  constructor(
    private readonly registry: Pick<RegistryClient, 'recordOrgJwt'>,
    private readonly intervalMs = JWT_REFRESH_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  seen(serviceName: string, oid: string, jwt: string): void {
    if (oid === '' || jwt === '') return;
    const key = `${serviceName}\0${oid}`;
    const at = this.now();
    const before = this.last.get(key);
    if (before !== undefined && at - before < this.intervalMs) return;
    this.last.delete(key);
    this.last.set(key, at);
    if (this.last.size > JWT_REFRESH_REMEMBERED) this.last.delete(this.last.keys().next().value!);
    this.registry.recordOrgJwt({ serviceName, oid, jwt }, { deadlineMs: 5000 }).catch((err) => {
      // Tried again by the next callback of this org.
      this.last.delete(key);
      log.warn(
        `the JWT of ${serviceName}/${oid} was not passed on to the scheduler: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
  }
}
