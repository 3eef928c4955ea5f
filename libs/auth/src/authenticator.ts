import { UnauthenticatedError } from '@checkwire/errors';
import { bearerToken } from '@checkwire/grpc';
import type { Db } from '@checkwire/db';
import { PUBLIC, type Principal } from './principal.js';
import { hashSecret, looksLikeSecret } from './token-secret.js';
import { findLiveToken, type TokenRecord } from './token.repository.js';

export interface AuthenticatorOptions {
  /**
   * How long a verified token is trusted without asking the database again. A token revoked on
   * another replica stops working here within this time (at once on the replica that revoked it).
   * @default 5000
   */
  cacheTtlMs?: number;
  /** Most tokens remembered at once (oldest forgotten first). @default 10000 */
  cacheSize?: number;
}

export function principalOf(token: TokenRecord): Principal {
  switch (token.role) {
    case 'admin':
    case 'red':
    case 'green':
    case 'lc_gateway':
    case 'scheduler':
      return { role: token.role, tokenId: token.id };
    case 'check_runner':
      return {
        role: 'check_runner',
        tokenId: token.id,
        subtypes: token.subtypes,
        serviceIds: token.service_ids,
      };
    case 'blue':
      if (token.team_id === null) throw new Error(`blue token ${token.id} has no team`);
      return { role: 'blue', tokenId: token.id, teamId: token.team_id };
  }
}

/**
 * Turns the `authorization` metadata of a call into a Principal: none is the public, a live
 * token is its role, anything else is refused (UNAUTHENTICATED). Verified tokens are cached, so
 * the hot path costs one SHA-256 and a map lookup.
 */
export class Authenticator {
  private readonly cache = new Map<string, { principal: Principal; expiresAt: number }>();
  /** Counts revocations through this replica; token id → the count when it was revoked. */
  private revocations = 0;
  private readonly revokedAt = new Map<number, number>();
  private readonly ttlMs: number;
  private readonly size: number;

  constructor(
    private readonly db: Db,
    options: AuthenticatorOptions = {},
  ) {
    this.ttlMs = options.cacheTtlMs ?? 5000;
    this.size = options.cacheSize ?? 10_000;
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined) return PUBLIC;
    const secret = bearerToken(authorization);
    if (secret === undefined) {
      throw new UnauthenticatedError("authorization metadata must be 'Bearer <token>'");
    }
    if (!looksLikeSecret(secret)) {
      throw new UnauthenticatedError('the bearer token is not a Checkwire token (cw_…)');
    }
    const key = hashSecret(secret);
    const cacheKey = key.toString('hex');
    const cached = this.cache.get(cacheKey);
    const now = Date.now();
    if (cached !== undefined && cached.expiresAt > now) return cached.principal;
    this.cache.delete(cacheKey);

    const started = this.revocations;
    const token = await findLiveToken(this.db, key);
    // A token revoked here while this lookup was in flight was read as live: refuse it anyway.
    if (token === undefined || (this.revokedAt.get(token.id) ?? -1) > started) {
      throw new UnauthenticatedError('unknown or revoked token');
    }
    const principal = principalOf(token);
    if (this.cache.size >= this.size) {
      const oldest = this.cache.keys().next();
      if (oldest.done !== true) this.cache.delete(oldest.value);
    }
    this.cache.set(cacheKey, { principal, expiresAt: now + this.ttlMs });
    return principal;
  }

  /**
   * Forgets a token at once (after revoking it), and refuses it from now on even when a lookup
   * that read it before the revocation answers later.
   */
  forget(tokenId: number): void {
    this.revokedAt.delete(tokenId);
    this.revokedAt.set(tokenId, ++this.revocations);
    // Only lookups in flight need it: the oldest entries are long settled.
    if (this.revokedAt.size > 1000) this.revokedAt.delete(this.revokedAt.keys().next().value!);
    for (const [key, entry] of this.cache) {
      if ('tokenId' in entry.principal && entry.principal.tokenId === tokenId) {
        this.cache.delete(key);
      }
    }
  }
}
