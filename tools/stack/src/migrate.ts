import { connectDatabase, migrateToLatest } from '@checkwire/db';

/**
 * Brings the database's schema up to date before any app starts, so the apps that would each
 * migrate at start (scoring, jobs) find nothing to do and can start together: two migrators
 * creating the migration tables of a fresh database at the same moment can collide.
 */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const handle = connectDatabase({ connectionString: databaseUrl, maxConnections: 1 });
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
}
