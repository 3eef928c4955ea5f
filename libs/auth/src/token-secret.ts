import { createHash, randomBytes } from 'node:crypto';

/** Secrets look like `cw_` + 43 base64url characters (256 random bits). */
const SECRET_PREFIX = 'cw_';
const SECRET_PATTERN = /^cw_[A-Za-z0-9_-]{43}$/;
/** How many leading characters of a secret are kept to recognise it in a list. */
const SHOWN_PREFIX_LENGTH = 8;

export interface NewSecret {
  secret: string;
  sha256: Buffer;
  prefix: string;
}

export function newSecret(): NewSecret {
  const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
  return { secret, sha256: hashSecret(secret), prefix: secret.slice(0, SHOWN_PREFIX_LENGTH) };
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export function looksLikeSecret(value: string): boolean {
  return SECRET_PATTERN.test(value);
}
