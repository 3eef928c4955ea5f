import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import {
  AdminServiceService,
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

// What the runner's end-to-end tests start first: a test database, the real scoring server in its
// own process, a check_runner token for runners (and schedulers), and the white team's clients.

export interface ScoringStack {
  database: TestDatabase;
  scoring: ScoringProcess;
  /** An unlimited check_runner token. */
  runnerToken: string;
  admin: PromiseClient<typeof AdminServiceService>;
  status: PromiseClient<typeof StatusServiceService>;
  /** A token of this role, minted with the admin token. */
  mint(name: string, role: Role): Promise<string>;
  stop(): Promise<void>;
}

export async function startScoringStack(): Promise<ScoringStack> {
  const database = await createTestDatabase();
  const scoring = await startScoringProcess(database.url);
  const asAdmin = { token: scoring.adminToken };
  const mint = async (name: string, role: Role) => {
    const tokens = createPromiseClient(TokenServiceService, scoring.address, asAdmin);
    try {
      return (await tokens.createToken({ name, role, subtypes: [], serviceIds: [] })).secret;
    } finally {
      tokens.close();
    }
  };
  const admin = createPromiseClient(AdminServiceService, scoring.address, asAdmin);
  const status = createPromiseClient(StatusServiceService, scoring.address, asAdmin);
  return {
    database,
    scoring,
    runnerToken: await mint('runners', Role.ROLE_CHECK_RUNNER),
    admin,
    status,
    mint,
    async stop() {
      admin.close();
      status.close();
      await scoring.stop();
      await database.drop();
    },
  };
}

/** Polls `probe` until it holds; fails after `ms` (a limit for a stuck test, not a measurement). */
export async function until(probe: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
