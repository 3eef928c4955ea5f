import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort, startEmbeddedPostgres, type RunningPostgres } from '@checkwire/db';
import {
  createPromiseClient,
  healthStatus,
  isGrpcError,
  type PromiseClient,
} from '@checkwire/grpc';
import { AdminServiceService, ScoringServiceService } from '@checkwire/proto';
import { serviceDraft } from '@checkwire/testing';
import { ScoringApp } from '../src/index.js';

// A database outage, as an SRE sees it: calls answer UNAVAILABLE (which clients retry) with a
// hint, health says NOT_SERVING, the log says so once (not once per call), and once PostgreSQL
// is back the server works again by itself.

const dataDir = mkdtempSync(join(tmpdir(), 'checkwire-outage-'));
let port: number;
let postgres: RunningPostgres;
let app: ScoringApp;
let scoring: PromiseClient<typeof ScoringServiceService>;
let serviceId: number;

beforeAll(async () => {
  port = await freePort();
  postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), port });
  app = await ScoringApp.start({
    databaseUrl: postgres.url,
    bootstrapAdminToken: true,
    databaseHealthIntervalMs: 100,
  });
  const token = app.bootstrapToken!.secret;
  scoring = createPromiseClient(ScoringServiceService, app.address, { token });
  const admin = createPromiseClient(AdminServiceService, app.address, { token });
  const { team } = await admin.createTeam({ name: 'outage' });
  serviceId = (await admin.createService({ service: serviceDraft(team!.id) })).service!.id;
  admin.close();
});
afterAll(async () => {
  scoring.close();
  await app.stop();
  await postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function until(probe: () => Promise<boolean>): Promise<void> {
  while (!(await probe())) await new Promise((r) => setTimeout(r, 50));
}

describe('a database outage', () => {
  it('answers UNAVAILABLE with a hint, says NOT_SERVING, logs once, and heals by itself', async () => {
    await scoring.insertServiceScore({ serviceId, result: 1, requestId: 'before' });
    const logged = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await postgres.stop();
      const answers = [];
      for (let i = 0; i < 30; i++) {
        answers.push(
          await scoring.insertServiceScore({ serviceId, result: 1, requestId: `during-${i}` }).then(
            () => 'OK',
            (err: unknown) => (isGrpcError(err) ? `${err.code} ${err.details}` : String(err)),
          ),
        );
      }
      expect(new Set(answers)).toEqual(
        new Set([
          `${status.UNAVAILABLE} the database is unreachable right now; try again in a few seconds`,
        ]),
      );
      await until(async () => (await healthStatus(app.address)) === 'NOT_SERVING');
      expect(await healthStatus(app.address, 'checkwire.scoring.v1.ScoringService')).toBe(
        'NOT_SERVING',
      );
      const lines = logged.mock.calls.map((c) => String(c[0]));
      // One line per component that met the outage (the answers, health, the status notifier,
      // the pool): not one per failed call.
      expect(lines.filter((l) => l.startsWith('grpc: answering UNAVAILABLE'))).toHaveLength(1);
      expect(lines.filter((l) => l.includes('health NOT_SERVING'))).toHaveLength(1);
      expect(lines.length).toBeLessThanOrEqual(5);

      postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), port });
      await until(() =>
        scoring.insertServiceScore({ serviceId, result: 1, requestId: 'after' }).then(
          () => true,
          () => false,
        ),
      );
      await until(async () => (await healthStatus(app.address)) === 'SERVING');
    } finally {
      logged.mockRestore();
    }
  });
});
