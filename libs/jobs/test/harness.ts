import pg from 'pg';
import { Authenticator, TokenAdministration } from '@checkwire/auth';
import { connectDatabase } from '@checkwire/db';
import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import { JobsServiceService } from '@checkwire/proto';
import { createTestDatabase, type TestDatabase } from '@checkwire/testing';
import { JobsApp } from '../src/index.js';

export interface JobsWorld {
  database: TestDatabase;
  app: JobsApp;
  /** A client holding an lc_gateway token, as the gateway calls Jobs. */
  jobs: PromiseClient<typeof JobsServiceService>;
  /** Raw SQL on the same database. */
  sql: pg.Pool;
  stop(): Promise<void>;
}

/** A fresh database, the real Jobs server over it, and a client with the gateway's role. */
export async function startJobsWorld(): Promise<JobsWorld> {
  const database = await createTestDatabase();
  const app = await JobsApp.start({ databaseUrl: database.url });
  const handle = connectDatabase({ connectionString: database.url, maxConnections: 1 });
  const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
  const token = (await tokens.create({ name: 'gateway', role: 'lc_gateway' })).secret;
  await handle.close();
  const jobs = createPromiseClient(JobsServiceService, app.address, { token });
  const sql = new pg.Pool({ connectionString: database.url, max: 1 });
  return {
    database,
    app,
    jobs,
    sql,
    async stop() {
      jobs.close();
      await sql.end();
      await app.stop();
      await database.drop();
    },
  };
}
