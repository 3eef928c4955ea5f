import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_ETYPES, NOT_IMPLEMENTED } from '@checkwire/lc-wire';
import {
  createTestDatabase,
  startLcGatewayProcess,
  type LcGatewayProcess,
  type TestDatabase,
} from '@checkwire/testing';

// An lcservice 1.8 service (test/fixtures/sample_service.py: lcservice's API, only the imports
// changed) run by Debian's python3 with checkwire-lc, behind the real LC gateway and Jobs server
// (their own processes) on a fresh PostgreSQL; every call is signed as LimaCharlie signs it.

const project = join(import.meta.dirname, '..');
const PYTHON = '/usr/bin/python3';
const HANDLER_TOKEN = 'python-handler-token';
const RULE = 'op: ends with\nevent: NEW_PROCESS\npath: event/FILE_PATH\nvalue: evil.exe\n';
const pythonEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  PYTHONPATH: join(project, 'src'),
  PYTHONDONTWRITEBYTECODE: '1',
  LC_HANDLER_TOKEN: HANDLER_TOKEN,
};

let database: TestDatabase;
let gateway: LcGatewayProcess;
let handler: ChildProcess;
let example: ChildProcess;
const handlerOutput: string[] = [];

/** Runs a Python handler script; resolves with the `<name> listening on <address>` it prints. */
function startHandler(
  args: string[],
  names: string[],
  lines: string[] = [],
): { child: ChildProcess; ready: Promise<Record<string, string>> } {
  const child = spawn(PYTHON, args, { env: pythonEnv, stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<Record<string, string>>((resolve, reject) => {
    const found: Record<string, string> = {};
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const m = /^(\w+) listening on (\S+)$/.exec(line);
      if (m) found[m[1]!] = m[2]!;
      if (names.every((n) => found[n] !== undefined)) resolve(found);
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code})`)));
  });
  return { child, ready };
}

/** The README's Python example, as written but for its port (a free one). */
function readmeExample(): string {
  const readme = readFileSync(join(project, 'README.md'), 'utf8');
  const code = /```python\n([\s\S]*?)```/.exec(readme)?.[1];
  if (code === undefined || !code.includes('port=50062')) {
    throw new Error('README.md has no Python example serving on port 50062');
  }
  return code.replace('port=50062', 'port=0');
}

/** A callback body as LimaCharlie sends it; a key given as undefined in `extra` is left out. */
function body(
  etype: string,
  data: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  const full: Record<string, unknown> = {
    version: 1,
    etype,
    oid: 'c9f6f6b8-2a53-4c3b-9d7e-4f1f3a5e0b11',
    jwt: 'jwt-of-the-org',
    mid: '9a1b9f5e-4c1e-4a57-8f2b-000000000001',
    deadline: Date.now() / 1000 + 60,
    data,
    ...extra,
  };
  return Object.fromEntries(Object.entries(full).filter(([, v]) => v !== undefined));
}

/** A signed callback to a route; the answer's JSON read freely, as a test reads it. */
async function post(route: string, callback: unknown): Promise<{ status: number; json: any }> {
  const { status, json } = await gateway.post(route, callback);
  return { status, json: json as any };
}

const request = (data: Record<string, unknown>) => post('sample', body('request', data));

beforeAll(async () => {
  database = await createTestDatabase();
  const sample = startHandler(
    [join(project, 'test', 'fixtures', 'sample_service.py')],
    ['sample', 'minimal'],
    handlerOutput,
  );
  handler = sample.child;
  const readme = startHandler(['-c', readmeExample()], ['inventory']);
  example = readme.child;
  const addresses = { ...(await sample.ready), ...(await readme.ready) };
  gateway = await startLcGatewayProcess(database.url, [
    { name: 'sample', secret: 'sample-secret', handler: addresses.sample!, token: HANDLER_TOKEN },
    {
      name: 'minimal',
      secret: 'minimal-secret',
      handler: addresses.minimal!,
      token: HANDLER_TOKEN,
    },
    {
      name: 'inventory',
      secret: 'origin-secret',
      handler: addresses.inventory!,
      token: HANDLER_TOKEN,
    },
  ]);
});
afterAll(async () => {
  await gateway?.stop();
  for (const child of [handler, example]) if (child?.exitCode === null) child.kill('SIGKILL');
  await database?.drop();
});

describe('checkwire-lc, unit by unit', () => {
  it('is versioned with the repository (package.json, pyproject.toml, __version__)', async () => {
    const root = join(project, '..', '..', '..');
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(
      /^version = "([^"]+)"$/m.exec(readFileSync(join(project, 'pyproject.toml'), 'utf8'))?.[1],
    ).toBe(version);
    const { stdout } = await promisify(execFile)(
      PYTHON,
      ['-c', 'import checkwire_lc; print(checkwire_lc.__version__)'],
      { env: pythonEnv },
    );
    expect(stdout).toBe(`${version}\n`);
  });

  // Its own time limit: the suite waits out a 10 s parallelExec timeout, and a loaded machine
  // may take long besides; 30 s would be a timing threshold in disguise.
  it('passes its unittest suite (jobs, answers, conversions, helpers, the gRPC server)', async () => {
    const { stderr } = await promisify(execFile)(
      PYTHON,
      ['-m', 'unittest', 'discover', '-s', 'test/unit', '-t', 'test/unit'],
      { cwd: project, env: pythonEnv },
    );
    expect(stderr).toMatch(/^Ran \d+ tests in .*\n\nOK\n$/m);
  }, 180_000);
});

describe("the README's example", () => {
  it('answers a signed request through the gateway with its data and job', async () => {
    const { json } = await post('inventory', body('request', { action: 'list' }));
    expect(json).toMatchObject({
      success: true,
      data: { sensors: 1 },
      jobs: [
        {
          cause: 'inventory requested',
          end: expect.any(Number),
          hist: [
            {
              msg: 'listed the sensors',
              attachments: [
                { att_type: 'table', caption: 'sensors', headers: ['sid'], rows: [['s1']] },
              ],
            },
          ],
        },
      ],
    });
  });
});

describe('an lcservice service behind the real gateway (only its imports changed)', () => {
  it("declares its parameters, detections and callbacks: the gateway's health reports them", async () => {
    const { status, json } = await post(
      'sample',
      body('health', {}, { oid: undefined, jwt: undefined }),
    );
    expect(status).toBe(200);
    expect(json.success).toBe(true);
    expect(json.data.version).toBe(1);
    expect(json.data.mtd).toEqual({
      detect_subscriptions: ['suspicious-binary'],
      callbacks: Object.keys(HANDLER_ETYPES),
      request_params: {
        action: {
          type: 'enum',
          values: [
            'ping',
            'job',
            'fail',
            'retry',
            'crash',
            'error',
            'lc',
            'unimplemented',
            'parallel',
          ],
          is_required: true,
          desc: 'what to do',
        },
        count: { type: 'int', is_required: false, desc: 'how many' },
        verbose: { type: 'bool', is_required: false, desc: 'say more' },
        name: { type: 'str', is_required: false, desc: 'who asks' },
      },
    });
    const minimal = await post('minimal', body('health'));
    expect(minimal.json.data.mtd.callbacks).toEqual(['org_install']);
  });

  it('publishes its resource: get_resource gives its hash, category and content', async () => {
    const hash = createHash('sha256').update(RULE).digest('hex');
    const one = await post(
      'sample',
      body('get_resource', { resource: 'evil-rule', is_include_data: true }),
    );
    expect(one.json).toMatchObject({
      success: true,
      data: { hash, res_cat: 'detect', res_data: Buffer.from(RULE).toString('base64') },
    });
    const listed = await post('sample', body('get_resource', { resource: ['evil-rule'] }));
    expect(listed.json.data).toEqual({ resources: { 'evil-rule': { hash, res_cat: 'detect' } } });
    const unknown = await post('sample', body('get_resource', { resource: 'nope' }));
    expect(unknown.json).toMatchObject({
      success: false,
      data: { error: 'resource not available' },
    });
  });

  it('answers every callback type, each reaching its lcservice method with lc, oid and request', async () => {
    for (const etype of Object.keys(HANDLER_ETYPES).filter((e) => e !== 'request')) {
      const perSensor = etype.startsWith('sensor_per_');
      const global = etype.startsWith('once_per_');
      const extra = global ? { oid: undefined, jwt: undefined } : {};
      const data = perSensor ? { sid: 'sensor-7' } : {};
      const { status, json } = await post('sample', body(etype, data, extra));
      expect({ etype, status, json }).toEqual({
        etype,
        status: 200,
        json: {
          success: true,
          data: {
            etype,
            oid: global ? null : 'c9f6f6b8-2a53-4c3b-9d7e-4f1f3a5e0b11',
            mid: '9a1b9f5e-4c1e-4a57-8f2b-000000000001',
            sid: perSensor ? 'sensor-7' : null,
            // Without the limacharlie SDK an org's calls get the offline stand-in; a global one none.
            lc: global ? 'NoneType' : 'OfflineOrg',
          },
        },
      });
    }
    const ping = await request({ action: 'ping', count: 3, verbose: true });
    // Whole numbers come back as ints (the contract's Struct keeps doubles).
    expect(ping.json).toEqual({ success: true, data: { pong: 3, verbose: true } });
  });

  it('narrates a job with all four attachment kinds, delivered to LimaCharlie in the answer', async () => {
    const { json } = await request({ action: 'job', name: 'ada' });
    expect(json.success).toBe(true);
    expect(json.jobs).toHaveLength(1);
    const [job] = json.jobs;
    expect(job).toMatchObject({
      id: json.data.job,
      cause: 'inventory requested by ada',
      sid: ['sensor-7'],
      start: expect.any(Number),
      end: expect.any(Number),
    });
    expect(job.hist).toEqual([
      {
        ts: expect.any(Number),
        msg: 'collected the inventory',
        is_important: true,
        attachments: [
          {
            att_type: 'hex_dump',
            caption: 'header',
            data: Buffer.from([0x4d, 0x5a, 0x90, 0]).toString('base64'),
          },
          {
            att_type: 'table',
            caption: 'processes',
            headers: ['pid', 'name'],
            rows: [
              ['4', 'svchost.exe'],
              ['1337', 'evil.exe'],
            ],
          },
          {
            att_type: 'json',
            caption: 'summary',
            data: '{\n  "processes": 2,\n  "suspicious": [\n    "evil.exe"\n  ]\n}',
          },
          { att_type: 'yaml', caption: 'policy', data: 'action: isolate\ntargets:\n- sensor-7\n' },
        ],
      },
    ]);
  });

  it("keeps lcservice's answers: False, None, an exception, an error, not implemented", async () => {
    expect((await request({ action: 'fail' })).json).toEqual({
      success: false,
      retry: false,
      data: {},
    });
    expect((await request({ action: 'retry' })).json).toEqual({
      success: false,
      retry: true,
      data: {},
    });
    const error = await request({ action: 'error' });
    expect(error.json).toEqual({
      success: false,
      retry: false,
      data: {},
      error: 'that sensor is offline',
    });
    const crash = await request({ action: 'crash' });
    expect(crash.json).toMatchObject({ success: false, retry: true });
    expect(crash.json.data.exception).toMatch(/error id/);
    // The exception's text stays in the handler's log; LimaCharlie gets an id only.
    expect(JSON.stringify(crash.json)).not.toContain('hunter2');
    expect((await request({ action: 'unimplemented' })).json).toEqual(NOT_IMPLEMENTED);
    expect((await post('minimal', body('org_uninstall'))).json).toEqual(NOT_IMPLEMENTED);
    expect((await post('minimal', body('org_install'))).json).toEqual({
      success: true,
      data: {},
    });
  });

  it('has the gateway validate its declared parameters before the service runs', async () => {
    expect((await request({})).json.error).toBe('missing parameter action');
    expect((await request({ action: 'ping', count: 'three' })).json.error).toBe(
      'invalid parameter count: wrong data type',
    );
    expect((await request({ action: 'dance' })).json.error).toBe(
      'invalid parameter action: enum has invalid value',
    );
  });

  it('gives lc as the org handle: without the limacharlie SDK, a clear error on use', async () => {
    const { json } = await request({ action: 'lc' });
    expect(json.data).toMatchObject({
      lc: 'OfflineOrg',
      oid: 'c9f6f6b8-2a53-4c3b-9d7e-4f1f3a5e0b11',
      jwt: 'jwt-of-the-org',
    });
    expect(json.data.error).toMatch(/^lc\.sensors: the limacharlie SDK is not installed/);
  });

  // lcservice's gevent pool gave results as they finished; checkwire-lc gives them in input order.
  it("runs parallelExec: results in the objects' order, an exception in its place", async () => {
    const { json } = await request({ action: 'parallel' });
    expect(json.data.results).toEqual([12, 6, 'ZeroDivisionError', 4]);
  });

  it('calls onShutdown when stopped as ServeCherryPy is (SIGTERM)', async () => {
    // 'close', not 'exit': it comes once the child's stdout is drained, so its last line is read.
    const closed = new Promise<number | null>((resolve) => handler.on('close', resolve));
    handler.kill('SIGTERM');
    expect(await closed).toBe(0);
    expect(handlerOutput).toContain('sample shut down');
  });
});
