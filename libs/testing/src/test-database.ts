import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { cloneTemplate, dropDatabase } from './global-setup.js';

export interface TestDatabase {
  /** postgres:// URL of a fresh, migrated database of its own. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh migrated database on the run's real PostgreSQL (see global-setup). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const url = await cloneTemplate(adminUrl, name);
  return { url, drop: () => dropDatabase(adminUrl, name) };
}
