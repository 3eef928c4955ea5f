import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Authenticator, TokenAdministration } from '@checkwire/auth';
import { connectDatabase } from '@checkwire/db';

/** The stack's apps that call others, each with a token of its own, named after it. */
export const TOKEN_APPS = ['scheduler', 'lc-gateway', 'runner'] as const;
export type TokenApp = (typeof TOKEN_APPS)[number];

/** What the token minted by the previous `npm start` (one for all apps) was called. */
const LEGACY_TOKEN_NAME = 'npm start: services';
const tokenName = (app: TokenApp) => `npm start: ${app}`;

/** Each app's role: exactly what it calls (see docs/access.md). */
const ROLE_OF = {
  scheduler: 'scheduler',
  'lc-gateway': 'lc_gateway',
  runner: 'check_runner',
} as const;

/**
 * Fresh tokens for the stack's own apps: the runner is an unlimited check runner (it scores every
 * service), the scheduler has the scheduler role (lists services, records give-ups, stores its
 * callbacks' jobs), the LC gateway the lc_gateway role (Jobs and the LC registry, nothing else).
 * The ones minted by the previous `npm start` are revoked, so they do not pile up.
 */
export async function rotateAppTokens(databaseUrl: string): Promise<Map<TokenApp, string>> {
  const handle = connectDatabase({ connectionString: databaseUrl, maxConnections: 1 });
  try {
    const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
    const names = new Set<string>([LEGACY_TOKEN_NAME, ...TOKEN_APPS.map(tokenName)]);
    for (const old of await tokens.list(false)) {
      if (names.has(old.name)) await tokens.revoke(old.id);
    }
    const minted = new Map<TokenApp, string>();
    for (const app of TOKEN_APPS) {
      const issued = await tokens.create({ name: tokenName(app), role: ROLE_OF[app] });
      minted.set(app, issued.secret);
    }
    return minted;
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
