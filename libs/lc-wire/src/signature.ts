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
  return hexEquals(sign(secret, bytes), signature);
}

/** An HMAC of bytes that arrive in pieces (a body as it is read), checked once at the end. */
export interface StreamingSignature {
  update(bytes: Uint8Array): void;
  /** Whether `signature` is the HMAC of every byte given, compared in constant time. Call once. */
  matches(signature: string): boolean;
}

/**
 * Starts `sign(secret, …)` over bytes still to come: a large body is hashed as its chunks arrive
 * instead of in one pass that holds the event loop.
 */
export function startSignature(secret: string): StreamingSignature {
  const hmac = createHmac('sha256', Buffer.from(secret, 'utf8'));
  return {
    update: (bytes) => void hmac.update(bytes),
    matches: (signature) => hexEquals(hmac.digest('hex'), signature),
  };
}

function hexEquals(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
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
