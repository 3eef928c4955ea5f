import { createHmac, timingSafeEqual } from 'node:crypto';
import { pythonJsonDumps } from './python-json.js';

/** The header LimaCharlie signs its callbacks in. */
export const SIGNATURE_HEADER = 'lc-svc-sig';

/** Lowercase hex HMAC-SHA256 of `bytes` keyed with the service's origin secret. */
export function sign(secret: string, bytes: string | Uint8Array): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(bytes).digest('hex');
}

/** The bytes lcservice 1.8.0 verifies: Python's `json.dumps(body, sort_keys=True)`. */
export function canonicalBody(body: unknown): string {
  return pythonJsonDumps(body, { sortKeys: true });
}

function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  // Equal lengths are required by timingSafeEqual; the length of a hex digest is no secret.
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether `signature` is the HMAC of the raw body (lcservice ≥ 1.8.6) or of its canonical
 * rendering (lcservice 1.8.0); both compared in constant time.
 */
export function verifySignature(
  secret: string,
  rawBody: Buffer,
  parsedBody: unknown,
  signature: string | undefined,
): boolean {
  if (signature === undefined || !/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  // The raw bytes first (what LimaCharlie signs); rendering the canonical form costs more.
  if (sameHex(sign(secret, rawBody), signature)) return true;
  return parsedBody !== undefined && sameHex(sign(secret, canonicalBody(parsedBody)), signature);
}
