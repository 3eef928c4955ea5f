import { Authenticator, TokenAdministration } from '@checkwire/auth';
import { connectDatabase } from '@checkwire/db';

/**
 * Mints the first admin token straight in the (migrated) database, as a starting server would
 * with `bootstrapAdminToken`, for deployments that keep it out of server logs. Returns its secret,
 * or undefined when tokens exist already (nothing is minted then).
 */
export async function mintBootstrapToken(databaseUrl: string): Promise<string | undefined> {
  const handle = connectDatabase({ connectionString: databaseUrl, maxConnections: 1 });
  try {
    const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
    return (await tokens.bootstrap())?.secret;
  } finally {
    await handle.close();
  }
}
