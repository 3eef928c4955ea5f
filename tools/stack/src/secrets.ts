import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Authenticator, TokenAdministration } from '@checkwire/auth';
import { connectDatabase } from '@checkwire/db';

const SERVICE_TOKEN_NAME = 'npm start: services';

/**
 * A fresh check_runner token for the stack's own apps (the gateway's calls to Jobs); the one
 * minted by the previous `npm start` is revoked, so they do not pile up.
 */
export async function rotateServiceToken(databaseUrl: string): Promise<string> {
  const handle = connectDatabase({ connectionString: databaseUrl, maxConnections: 1 });
  try {
    const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
    for (const old of await tokens.list(false)) {
      if (old.name === SERVICE_TOKEN_NAME) await tokens.revoke(old.id);
    }
    return (await tokens.create({ name: SERVICE_TOKEN_NAME, role: 'check_runner' })).secret;
  } finally {
    await handle.close();
  }
}

/** The example LC service's origin secret, made once and kept in the data folder. */
export function lcExampleSecret(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(24).toString('base64url');
  writeFileSync(path, secret + '\n', { mode: 0o600 });
  return secret;
}
