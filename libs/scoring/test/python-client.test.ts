import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '@checkwire/proto';
import { seedService, startHarness, type Harness } from './harness.js';

// A check author in another language: Python stubs generated from proto/ by protoc (Debian's
// protobuf-compiler-grpc and python3-grpcio; .ci/run installs them), calling the real server.

const root = join(import.meta.dirname, '..', '..', '..');
const PYTHON = '/usr/bin/python3';
const PLUGIN = '/usr/bin/grpc_python_plugin';
let h: Harness;
let stubs: string;

beforeAll(async () => {
  for (const tool of [PYTHON, PLUGIN, '/usr/bin/protoc']) {
    if (!existsSync(tool)) {
      throw new Error(`${tool} is missing: apt-get install python3-grpcio protobuf-compiler-grpc`);
    }
  }
  stubs = mkdtempSync(join(tmpdir(), 'checkwire-py-'));
  const protoDir = join(root, 'proto');
  const protos = readdirSync(join(protoDir, 'checkwire/scoring/v1')).map(
    (f) => `checkwire/scoring/v1/${f}`,
  );
  execFileSync('/usr/bin/protoc', [
    `-I${protoDir}`,
    '-I/usr/include',
    `--python_out=${stubs}`,
    `--grpc_out=${stubs}`,
    `--plugin=protoc-gen-grpc=${PLUGIN}`,
    ...protos,
  ]);
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
  rmSync(stubs, { recursive: true, force: true });
});

describe('a Python check', () => {
  it('runs the four actions through generated stubs and gets the same answers and errors', async () => {
    const { service } = await seedService(h);
    const { secret } = await h.tokens.createToken({
      name: 'python check',
      role: Role.ROLE_CHECK_RUNNER,
      subtypes: [service.subtype],
      serviceIds: [],
    });
    // Asynchronously: the server runs in this process and must keep answering.
    const { stdout: out } = await promisify(execFile)(
      PYTHON,
      [join(import.meta.dirname, 'fixtures/external_check.py'), h.app.address, String(service.id)],
      { env: { ...process.env, PYTHONPATH: stubs, CHECKWIRE_TOKEN: secret }, encoding: 'utf8' },
    );
    const seen = JSON.parse(out) as Record<string, unknown>;
    expect(seen).toMatchObject({
      score_run_id: seen.run_id,
      replayed: true,
      same_score: true,
      error_kind: 'SERVICE_ERROR_KIND_TIMEOUT',
      done_run_id: seen.run_id,
      done_finished: true,
      anonymous: 'UNAUTHENTICATED',
      refused: {
        code: 'INVALID_ARGUMENT',
        details:
          'result: must fit in a 32-bit signed integer (-2147483648..2147483647), got 2147483648',
      },
    });
    const { rows } = await h.sql.query(
      `SELECT s.result, s.error_msg, e.kind, r.finished_at IS NOT NULL AS closed
       FROM score s JOIN service_error e ON e.score_id = s.id JOIN check_run r ON r.id = s.check_run_id
       WHERE s.service_id = $1`,
      [service.id],
    );
    expect(rows).toEqual([{ result: 7, error_msg: 'slow', kind: 'timeout', closed: true }]);
  });
});
