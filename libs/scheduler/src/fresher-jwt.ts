/**
 * A JWT's `exp` claim (seconds since the epoch), read from its payload without verifying it
 * (the scheduler only passes JWTs on; LimaCharlie checks them); undefined when unreadable.
 */
export function jwtExpiry(jwt: string): number | undefined {
  const payload = jwt.split('.')[1];
  if (payload === undefined || payload === '') return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null) return undefined;
    const exp = (claims as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which of the org's JWTs to send with a continuation: the registry's (recorded by the gateway
 * from the extension's later messages) or the continuation's own (the one its answer came with),
 * whichever expires later. One without a readable `exp` loses to one with; neither readable: the
 * registry's. No registry JWT: the continuation's own.
 */
export function fresherJwt(registry: string | null, own: string): string {
  if (registry === null || registry === '') return own;
  const r = jwtExpiry(registry);
  const o = jwtExpiry(own);
  if (o === undefined) return registry;
  if (r === undefined) return own;
  return o > r ? own : registry;
}
