/** `Bearer <token>`: the scheme in any case (HTTP's auth-scheme is), spaces around the token. */
const BEARER = /^Bearer +(\S+) *$/i;

/**
 * The token of an `authorization` value (`Bearer <token>`), or undefined for any other value: the
 * one parser of it, for Checkwire's own services and for handlers served by the LC SDK.
 */
export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
}
