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

/**
 * Whether `signature` could be a signature at all: 64 lowercase hex digits, the exact form of
 * lcservice's `hexdigest()` (it compares strings, so uppercase hex never matches there either).
 */
export function isSignatureShaped(signature: string | undefined): signature is string {
  return signature !== undefined && /^[0-9a-f]{64}$/.test(signature);
}

/** Whether `signature` is the HMAC of `bytes`, compared in constant time. */
export function signatureMatches(
  secret: string,
  bytes: string | Uint8Array,
  signature: string,
): boolean {
  const a = Buffer.from(sign(secret, bytes), 'utf8');
  const b = Buffer.from(signature, 'utf8');
  // Equal lengths are required by timingSafeEqual; the length of a hex digest is no secret.
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether `signature` is the HMAC of the raw body (lcservice ≥ 1.8.6) or of its canonical
 * rendering (lcservice 1.8.0); both compared in constant time. The canonical rendering is only
 * computed when the raw bytes do not match. (The gateway, which tries several secrets, uses
 * `signatureMatches` directly so it renders the canonical form at most once per request.)
 */
export function verifySignature(
  secret: string,
  rawBody: Buffer,
  parsedBody: unknown,
  signature: string | undefined,
): boolean {
  if (!isSignatureShaped(signature)) return false;
  if (signatureMatches(secret, rawBody, signature)) return true;
  return parsedBody !== undefined && signatureMatches(secret, canonicalBody(parsedBody), signature);
}
