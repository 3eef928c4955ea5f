import { Authenticator, TokenAdministration } from '@checkwire/auth';
import { connectDatabase } from '@checkwire/db';

export interface MintOptions {
  /**
   * Mint an admin token with this name even when tokens exist: for a white team that lost its
   * admin token (the lost one stays valid until revoked). @default only on a database without tokens
   */
  newAdminName?: string;
}

/**
 * Mints an admin token straight in the (migrated) database, as a starting server would with
 * `bootstrapAdminToken`, for deployments that keep it out of server logs, or (`newAdminName`) to
 * recover from a lost one. Returns its secret, or undefined when tokens exist already and no
 * `newAdminName` was given (nothing is minted then).
 */
export async function mintBootstrapToken(
  databaseUrl: string,
  options: MintOptions = {},
): Promise<string | undefined> {
  const handle = connectDatabase({ connectionString: databaseUrl, maxConnections: 1 });
  try {
    const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
    if (options.newAdminName === undefined) return (await tokens.bootstrap())?.secret;
    return (await tokens.create({ name: options.newAdminName, role: 'admin' })).secret;
  } finally {
    await handle.close();
  }
}
