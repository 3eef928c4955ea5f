import pg from 'pg';
import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import {
  AdminServiceService,
  StatusServiceService,
  ScoringServiceService,
  type Service,
} from '@checkwire/proto';
import { createTestDatabase, serviceDraft, type TestDatabase } from '@checkwire/testing';
import { ScoringApp } from '../src/index.js';

export { serviceDraft };

export interface Clients {
  scoring: PromiseClient<typeof ScoringServiceService>;
  admin: PromiseClient<typeof AdminServiceService>;
  status: PromiseClient<typeof StatusServiceService>;
  close(): void;
}

export function connect(address: string): Clients {
  const scoring = createPromiseClient(ScoringServiceService, address);
  const admin = createPromiseClient(AdminServiceService, address);
  const status = createPromiseClient(StatusServiceService, address);
  return {
    scoring,
    admin,
    status,
    close: () => [scoring, admin, status].forEach((c) => c.close()),
  };
}

/** A real scoring server on 127.0.0.1:0 over a fresh database, a client, and raw SQL access. */
export interface Harness extends Clients {
  app: ScoringApp;
  database: TestDatabase;
  sql: pg.Pool;
  /** Rows in a table, for asserting that a refused call wrote nothing. */
  count(table: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const database = await createTestDatabase();
  const app = await ScoringApp.start({ databaseUrl: database.url });
  const clients = connect(app.address);
  const sql = new pg.Pool({ connectionString: database.url, max: 2 });
  return {
    ...clients,
    app,
    database,
    sql,
    count: async (table) =>
      Number((await sql.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n),
    stop: async () => {
      clients.close();
      await sql.end();
      await app.stop();
      await database.drop();
    },
  };
}

/** Creates a team and one service in it. */
export async function seedService(
  h: Clients,
  overrides: Partial<Service> = {},
  teamName = `team-${Math.random().toString(36).slice(2, 8)}`,
): Promise<{ teamId: number; service: Service }> {
  const { team } = await h.admin.createTeam({ name: teamName });
  const { service } = await h.admin.createService({
    service: serviceDraft(team!.id, overrides),
  });
  return { teamId: team!.id, service: service! };
}

/** Awaits a rejected gRPC call and returns its status code and details. */
export async function grpcError(
  call: Promise<unknown>,
): Promise<{ code: number; details: string }> {
  try {
    await call;
  } catch (err) {
    const e = err as { code: number; details: string };
    return { code: e.code, details: e.details };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
