import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import {
  AdminServiceService,
  CheckQueueServiceService,
  LcRegistryServiceService,
  Role,
  StatusServiceService,
  TokenServiceService,
} from '@checkwire/proto';
import {
  createTestDatabase,
  startScoringProcess,
  type ScoringProcess,
  type TestDatabase,
} from '@checkwire/testing';

export interface World {
  database: TestDatabase;
  scoring: ScoringProcess;
  adminToken: string;
  /** check_runner: what a runner holds. */
  runnerToken: string;
  /** scheduler: what the scheduler app holds. */
  schedulerToken: string;
  /** lc_gateway: what the LC gateway holds (it calls LcRegistryService). */
  gatewayToken: string;
  admin: PromiseClient<typeof AdminServiceService>;
  status: PromiseClient<typeof StatusServiceService>;
  stop(): Promise<void>;
}

/** A database and the real scoring server (its own process), with a token for each app's role. */
export async function startWorld(): Promise<World> {
  const database = await createTestDatabase();
  const scoring = await startScoringProcess(database.url);
  const adminToken = scoring.adminToken;
  const tokens = createPromiseClient(TokenServiceService, scoring.address, { token: adminToken });
  const mint = async (name: string, role: Role) =>
    (await tokens.createToken({ name, role })).secret;
  const runnerToken = await mint('runner', Role.ROLE_CHECK_RUNNER);
  const schedulerToken = await mint('scheduler', Role.ROLE_SCHEDULER);
  const gatewayToken = await mint('lc-gateway', Role.ROLE_LC_GATEWAY);
  tokens.close();
  const admin = createPromiseClient(AdminServiceService, scoring.address, { token: adminToken });
  const status = createPromiseClient(StatusServiceService, scoring.address, { token: adminToken });
  return {
    database,
    scoring,
    adminToken,
    runnerToken,
    schedulerToken,
    gatewayToken,
    admin,
    status,
    async stop() {
      admin.close();
      status.close();
      await scoring.stop();
      await database.drop();
    },
  };
}

export function registry(address: string, token: string) {
  return createPromiseClient(LcRegistryServiceService, address, { token });
}

export function queue(address: string, token: string) {
  return createPromiseClient(CheckQueueServiceService, address, { token });
}

/** Polls `probe` until it returns true (at most `ms`). */
export async function eventually(
  probe: () => Promise<boolean> | boolean,
  ms = 10_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
