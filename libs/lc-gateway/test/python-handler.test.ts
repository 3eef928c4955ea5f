import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lcBody, startGateway, type GatewayHarness } from './harness.js';

// A LimaCharlie service in another language: Python stubs generated from proto/ by protoc
// (Debian's protobuf-compiler-grpc and python3-grpcio), behind the real gateway.

const root = join(import.meta.dirname, '..', '..', '..');
const PLUGIN = '/usr/bin/grpc_python_plugin';
let stubs: string;
let python: ChildProcess;
let h: GatewayHarness;

function protosUnder(dir: string): string[] {
  return readdirSync(join(root, 'proto', dir)).map((f) => `${dir}/${f}`);
}

beforeAll(async () => {
  for (const tool of ['/usr/bin/python3', PLUGIN, '/usr/bin/protoc']) {
    if (!existsSync(tool)) {
      throw new Error(`${tool} is missing: apt-get install python3-grpcio protobuf-compiler-grpc`);
    }
  }
  stubs = mkdtempSync(join(tmpdir(), 'checkwire-py-lc-'));
  execFileSync('/usr/bin/protoc', [
    `-I${join(root, 'proto')}`,
    '-I/usr/include',
    `--python_out=${stubs}`,
    `--grpc_out=${stubs}`,
    `--plugin=protoc-gen-grpc=${PLUGIN}`,
    ...protosUnder('checkwire/lc/v1'),
    ...protosUnder('checkwire/jobs/v1'),
  ]);
  python = spawn('/usr/bin/python3', [join(import.meta.dirname, 'fixtures/lc_handler.py')], {
    env: { ...process.env, PYTHONPATH: stubs },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const address = await new Promise<string>((resolve, reject) => {
    createInterface({ input: python.stdout! }).on('line', (line) => {
      const m = /listening on ([^\s"]+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    python.on('exit', (code) => reject(new Error(`python handler exited (${code})`)));
  });
  h = await startGateway([], () => [{ name: 'greeter', secret: 'py-secret', handler: address }]);
});
afterAll(async () => {
  await h.stop();
  python.kill();
  rmSync(stubs, { recursive: true, force: true });
});

describe('a handler written in Python', () => {
  it('declares itself through Describe: health shows it', async () => {
    const { json } = await h.post('/greeter', lcBody('health'));
    expect(json.data.mtd).toEqual({
      detect_subscriptions: ['from-python'],
      callbacks: ['request'],
      request_params: { name: { type: 'str', desc: 'who to greet', is_required: true } },
    });
  });

  it('answers requests with data and jobs, validated by the gateway first', async () => {
    const { json } = await h.post('/greeter', lcBody('request', { name: 'Ada' }));
    expect(json).toMatchObject({
      success: true,
      data: { greeting: 'hello Ada', oid: 'org-1' },
      jobs: [
        {
          cause: 'greeted from python',
          hist: [
            {
              msg: 'greeted Ada',
              is_important: true,
              attachments: [
                { att_type: 'table', caption: 'who', headers: ['name'], rows: [['Ada']] },
              ],
            },
          ],
        },
      ],
    });
    expect((await h.post('/greeter', lcBody('request', {}))).json.error).toBe(
      'missing parameter name',
    );
  });

  it('is "not implemented" for what it does not implement', async () => {
    expect((await h.post('/greeter', lcBody('org_install'))).json).toEqual({
      success: false,
      retry: false,
      data: { error: 'not implemented' },
    });
  });
});
