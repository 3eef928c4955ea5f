import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import {
  AdminServiceService,
  Role,
  ServiceErrorKind,
  StatusServiceService,
  TokenServiceService,
} from '@checkwire/proto';
import {
  createTestDatabase,
  serviceDraft,
  startScoringProcess,
  type ScoringProcess,
  type TestDatabase,
} from '@checkwire/testing';
import { typescriptSnippets } from '../src/snippets.js';

// Every TypeScript example in README.md, run as it is written, as its own process against the
// real scoring server (apps/scoring). Only the environment differs from a reader's: the server's
// address (CHECKWIRE_ADDRESS) and a check_runner token (CHECKWIRE_TOKEN). Service 7, which the
// examples score, exists: a team with seven services is created first.

const root = join(import.meta.dirname, '..', '..', '..');
const snippets = typescriptSnippets(readFileSync(join(root, 'README.md'), 'utf8'));
const SERVICE_ID = 7;

let database: TestDatabase;
let scoring: ScoringProcess;
let runnerToken: string;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'readme-examples-'));
  database = await createTestDatabase();
  scoring = await startScoringProcess(database.url);
  const options = { token: scoring.adminToken };
  const admin = createPromiseClient(AdminServiceService, scoring.address, options);
  const tokens = createPromiseClient(TokenServiceService, scoring.address, options);
  try {
    const { team } = await admin.createTeam({ name: 'blue-1' });
    for (let id = 0; id < SERVICE_ID;) {
      ({ id } = (await admin.createService({ service: serviceDraft(team!.id) })).service!);
    }
    const role = Role.ROLE_CHECK_RUNNER;
    runnerToken = (await tokens.createToken({ name: 'readme-check', role })).secret;
  } finally {
    admin.close();
    tokens.close();
  }
});
afterAll(async () => {
  await scoring?.stop();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `source` as an ES module under tsx from the repository root (so @checkwire/* resolve). */
async function run(source: string, name: string) {
  const file = join(dir, `${name}.mts`);
  writeFileSync(file, source);
  const env = {
    ...process.env,
    CHECKWIRE_ADDRESS: scoring.address,
    CHECKWIRE_TOKEN: runnerToken,
  };
  try {
    // The timeout only stops a hung example from outliving the test run.
    await promisify(execFile)(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env,
      timeout: 120_000,
    });
    return { code: 0, stderr: '' };
  } catch (err) {
    const e = err as { code: number | null; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('README.md', () => {
  it('has TypeScript examples', () => {
    expect(snippets.length).toBeGreaterThan(0);
  });

  it.each(snippets.map((source, i) => [i + 1, source] as const))(
    'example %i runs against a real scoring server',
    async (n, source) => {
      expect(await run(source, `example-${n}`)).toEqual({ code: 0, stderr: '' });
    },
    150_000,
  );

  it('the four actions did what the README says: a score, an error, the run closed', async () => {
    const options = { token: scoring.adminToken };
    const status = createPromiseClient(StatusServiceService, scoring.address, options);
    const admin = createPromiseClient(AdminServiceService, scoring.address, options);
    try {
      const { scores } = await status.listScores({ serviceId: SERVICE_ID });
      expect(scores).toEqual([
        expect.objectContaining({ serviceId: SERVICE_ID, result: 100, requestId: 'round-12' }),
      ]);
      const { serviceErrors } = await status.listServiceErrors({ serviceId: SERVICE_ID });
      expect(serviceErrors).toEqual([
        expect.objectContaining({
          scoreId: scores[0]!.id,
          kind: ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT,
          message: 'no answer in 5 s',
        }),
      ]);
      const { service } = await admin.getService({ id: SERVICE_ID });
      expect(service).toMatchObject({ id: SERVICE_ID, inProgress: false, lastScan: 100 });
    } finally {
      status.close();
      admin.close();
    }
  });
});
