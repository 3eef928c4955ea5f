import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The stand-in's own JWTs: HS256, signed with a key made at start, so a token from another run (or
 * one edited by hand) is refused like a forged one. LimaCharlie's claims are not documented; these
 * carry what the stand-in checks: the orgs the token is for, its permissions and its expiry.
 */
export interface StandinClaims {
  /** The orgs the token may act on. */
  oid: string[];
  /** LimaCharlie permission names (`sensor.task`, `dr.set.replicant`, …). */
  perms: string[];
  /** Issued at, epoch seconds. */
  iat: number;
  /** Expires at, epoch seconds (LimaCharlie's JWTs last one hour). */
  exp: number;
}

export type JwtCheck = { ok: true; claims: StandinClaims } | { ok: false; why: string };

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

export class StandinJwtIssuer {
  private readonly key = randomBytes(32);

  issue(claims: StandinClaims): string {
    const body = `${HEADER}.${b64url(JSON.stringify(claims))}`;
    return `${body}.${this.sign(body)}`;
  }

  verify(token: string, nowSeconds: number): JwtCheck {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, why: 'invalid token' };
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, why: 'invalid token' };
    }
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as StandinClaims;
    if (claims.exp <= nowSeconds) return { ok: false, why: 'token expired' };
    return { ok: true, claims };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
