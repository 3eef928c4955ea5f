import pg from 'pg';
import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import {
  AdjustmentServiceService,
  AdminServiceService,
  CompetitionServiceService,
  PasswordChangeServiceService,
  ScoreboardServiceService,
  StatusServiceService,
  ScoringServiceService,
  TokenServiceService,
  type Service,
} from '@checkwire/proto';
import { createTestDatabase, grpcError, serviceDraft, type TestDatabase } from '@checkwire/testing';
import { ScoringApp, type ScoringAppOptions } from '../src/index.js';

export { grpcError, serviceDraft };

export interface Clients {
  scoring: PromiseClient<typeof ScoringServiceService>;
  admin: PromiseClient<typeof AdminServiceService>;
  status: PromiseClient<typeof StatusServiceService>;
  tokens: PromiseClient<typeof TokenServiceService>;
  competitions: PromiseClient<typeof CompetitionServiceService>;
  scoreboard: PromiseClient<typeof ScoreboardServiceService>;
  adjustments: PromiseClient<typeof AdjustmentServiceService>;
  passwordChanges: PromiseClient<typeof PasswordChangeServiceService>;
  close(): void;
}

/** Clients of every scoring-server service, sending `token` (none: the public). */
export function connect(address: string, token?: string): Clients {
  const options = token === undefined ? {} : { token };
  const scoring = createPromiseClient(ScoringServiceService, address, options);
  const admin = createPromiseClient(AdminServiceService, address, options);
  const status = createPromiseClient(StatusServiceService, address, options);
  const tokens = createPromiseClient(TokenServiceService, address, options);
  const competitions = createPromiseClient(CompetitionServiceService, address, options);
  const scoreboard = createPromiseClient(ScoreboardServiceService, address, options);
  const adjustments = createPromiseClient(AdjustmentServiceService, address, options);
  const passwordChanges = createPromiseClient(PasswordChangeServiceService, address, options);
  return {
    scoring,
    admin,
    status,
    tokens,
    competitions,
    scoreboard,
    adjustments,
    passwordChanges,
    close: () =>
      [
        scoring,
        admin,
        status,
        tokens,
        competitions,
        scoreboard,
        adjustments,
        passwordChanges,
      ].forEach((c) => c.close()),
  };
}

/**
 * A real scoring server on 127.0.0.1:0 over a fresh database, clients holding its bootstrap admin
 * token, and raw SQL access.
 */
export interface Harness extends Clients {
  /** The bootstrap admin token's secret. */
  adminToken: string;
  app: ScoringApp;
  database: TestDatabase;
  sql: pg.Pool;
  /** Rows in a table, for asserting that a refused call wrote nothing. */
  count(table: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startHarness(options: Partial<ScoringAppOptions> = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const app = await ScoringApp.start({
    databaseUrl: database.url,
    bootstrapAdminToken: true,
    ...options,
  });
  const adminToken = app.bootstrapToken!.secret;
  const clients = connect(app.address, adminToken);
  const sql = new pg.Pool({ connectionString: database.url, max: 2 });
  return {
    ...clients,
    adminToken,
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
