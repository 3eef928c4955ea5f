import { createServer, type AddressInfo, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import { startApp, stopApp, type RunningApp } from '@checkwire/proc';
import { Role, TokenServiceService } from '@checkwire/proto';
import { FREE_METRICS_PORTS, createTestDatabase, type TestDatabase } from '@checkwire/testing';

// The bootstrap admin token is printed once, so it must never be minted by a start that then
// fails: the next start would find a token in the database and print none.

const root = fileURLToPath(new URL('../../../', import.meta.url));
let database: TestDatabase;
let blocker: Server;
const running: RunningApp[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const app of running) await stopApp(app);
  await new Promise((resolve) => blocker.close(resolve));
  await database.drop();
});

function startScoring(port: number): Promise<RunningApp> {
  return startApp(
    {
      name: 'scoring',
      entry: 'apps/scoring/src/main.ts',
      ready: /listening on ([^\s"]+)/,
      echo: false,
      cwd: root,
    },
    {
      ...process.env,
      ...FREE_METRICS_PORTS,
      DATABASE_URL: database.url,
      SCORING_PORT: String(port),
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    },
  );
}

describe('bootstrap admin token', () => {
  it('is not minted by a start that cannot listen, so the next start still prints one', async () => {
    const taken = (blocker.address() as AddressInfo).port;
    await expect(startScoring(taken)).rejects.toThrow(
      'scoring exited with code 2 before it was ready',
    );

    const app = await startScoring(0);
    running.push(app);
    const printed = /CHECKWIRE_TOKEN=(cw_\S+)/.exec(app.output.join('\n'))?.[1];
    expect(printed).toMatch(/^cw_[A-Za-z0-9_-]{43}$/);
    const tokens = createPromiseClient(TokenServiceService, app.address, { token: printed });
    expect((await tokens.whoAmI({})).role).toBe(Role.ROLE_ADMIN);
    // The failed start left nothing behind: the printed token is the only one.
    const { tokens: all } = await tokens.listTokens({ includeRevoked: true });
    expect(all.map((t) => t.name)).toEqual(['bootstrap admin']);
    tokens.close();
  });
});
