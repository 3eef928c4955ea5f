import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Authenticator, TokenAdministration } from '@checkwire/auth';
import { connectDatabase } from '@checkwire/db';

/** The stack's apps that call others, each with a token of its own, named after it. */
export const TOKEN_APPS = ['scheduler', 'lc-gateway', 'runner'] as const;
export type TokenApp = (typeof TOKEN_APPS)[number];

/** Names of tokens minted by earlier versions of `npm start` (they carried no stack id). */
const LEGACY_TOKEN_NAMES = ['npm start: services', ...TOKEN_APPS.map((app) => `npm start: ${app}`)];
/** A token's name: the app, and the stack (data folder) it belongs to. */
export const tokenName = (stack: string, app: TokenApp) => `npm start (${stack}): ${app}`;

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
 * The ones this stack (this data folder) minted last time are revoked, so they do not pile up.
 * On a database without any token, the admin token is minted first (`bootstrapAdmin`, shown
 * once), as scoring would on its first start: the apps' tokens would otherwise keep it from doing
 * so.
 */
export async function rotateAppTokens(
  databaseUrl: string,
  stack: string,
): Promise<{ tokens: Map<TokenApp, string>; bootstrapAdmin: string | undefined }> {
  const handle = connectDatabase({ connectionString: databaseUrl, maxConnections: 1 });
  try {
    const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
    const bootstrapAdmin = (await tokens.bootstrap())?.secret;
    // Only this stack's own tokens: another stack on the same database keeps its.
    const names = new Set<string>([
      ...LEGACY_TOKEN_NAMES,
      ...TOKEN_APPS.map((app) => tokenName(stack, app)),
    ]);
    for (const old of await tokens.list(false)) {
      if (names.has(old.name)) await tokens.revoke(old.id);
    }
    const minted = new Map<TokenApp, string>();
    for (const app of TOKEN_APPS) {
      const issued = await tokens.create({ name: tokenName(stack, app), role: ROLE_OF[app] });
      minted.set(app, issued.secret);
    }
    return { tokens: minted, bootstrapAdmin };
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
