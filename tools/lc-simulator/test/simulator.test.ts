import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, stopApp, type RunningApp } from '@checkwire/proc';
import {
  FREE_METRICS_PORTS,
  createTestDatabase,
  startLcGatewayProcess,
  type LcGatewayProcess,
  type TestDatabase,
} from '@checkwire/testing';
import { canonicalBody, sign } from '@checkwire/lc-wire';
import { USAGE } from '../src/options.js';
import { hexDumpText, tableText } from '../src/render.js';

const root = join(import.meta.dirname, '..', '..', '..');

describe('rendering', () => {
  it('prints hex dumps as hexdump -C does', () => {
    expect(hexDumpText(Buffer.from('Hello, LimaCharlie!\n\u0000'))).toBe(
      [
        '00000000  48 65 6c 6c 6f 2c 20 4c  69 6d 61 43 68 61 72 6c  |Hello, LimaCharl|',
        '00000010  69 65 21 0a 00                                    |ie!..|',
        '00000015',
      ].join('\n'),
    );
  });

  it('prints tables as tables', () => {
    expect(
      tableText(
        ['#', 'sid'],
        [
          ['1', 'abc'],
          ['10', 'd'],
        ],
      ),
    ).toBe(['#   sid', '--  ---', '1   abc', '10  d'].join('\n'));
  });
});

/** Runs the simulator; its exit code, stdout and stderr (a failing run does not throw). */
async function simulate(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'tools/lc-simulator/src/main.ts', ...args],
      { cwd: root },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run lc-sim against the example handler', () => {
  let database: TestDatabase;
  let example: RunningApp;
  let gateway: LcGatewayProcess;
  beforeAll(async () => {
    database = await createTestDatabase();
    example = await startApp(
      {
        name: 'lc-example',
        entry: 'apps/lc-example/src/main.ts',
        ready: /listening on ([^\s"]+)/,
        echo: false,
        cwd: root,
      },
      {
        ...process.env,
        ...FREE_METRICS_PORTS,
        LC_EXAMPLE_PORT: '0',
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
      },
    );
    gateway = await startLcGatewayProcess(database.url, [
      { name: 'example', secret: 'dev-secret', handler: example.address },
    ]);
  });
  afterAll(async () => {
    await gateway.stop();
    await stopApp(example);
    await database.drop();
  });

  const sim = (...args: string[]) =>
    simulate('--url', `${gateway.url}/example`, '--secret', 'dev-secret', ...args);

  it('signs a request, and shows the job with its table and hex dump (exit code 0)', async () => {
    const { code, stdout: out } = await sim(
      '--etype',
      'request',
      '--oid',
      'org-7',
      '--data',
      '{"action": "list_sensors", "sensors": "s-1,s-22"}',
    );
    expect(out).toContain('HTTP 200: success');
    expect(out).toContain('cause:   list_sensors requested for org-7');
    expect(out).toContain('sensors: s-1, s-22');
    expect(out).toMatch(/\[table\] sensors\n\s+#\s+sid\n\s+-\s+----\n\s+1\s+s-1\n\s+2\s+s-22/);
    expect(out).toMatch(/\[hex_dump\] request data\n\s+00000000 {2}7b 22 61 63 74 69 6f 6e/);
    expect(code).toBe(0);
  });

  it('shows a refusal as a person would read it, with exit code 1', async () => {
    expect(await sim('--etype', 'request', '--oid', 'org-7', '--data', '{}')).toEqual({
      code: 1,
      stdout: 'HTTP 200: failure (no retry)\nerror: missing parameter action\n',
      stderr: '',
    });
  });
});

describe('npm run lc-sim against any HTTP server', () => {
  let server: Server;
  let url: string;
  const received: { headers: Record<string, unknown>; body: string }[] = [];
  let reply: { status: number; type: string; body: string } = {
    status: 200,
    type: 'application/json',
    body: '{"success": true, "data": {}}',
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(reply.status, { 'content-type': reply.type });
        res.end(reply.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/svc`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("always sends oid and jwt (empty when not given), as lcservice's simulator does", async () => {
    const run = await simulate('--url', url, '--secret', 's', '--etype', 'org_per_1h');
    expect(run).toMatchObject({ code: 0, stdout: 'HTTP 200: success\n' });
    const { headers, body } = received.at(-1)!;
    const parsed = JSON.parse(body) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['data', 'deadline', 'etype', 'jwt', 'mid', 'oid']);
    expect(parsed).toMatchObject({ data: {}, etype: 'org_per_1h', jwt: '', oid: '' });
    expect(body).toBe(canonicalBody(parsed));
    expect(headers['lc-svc-sig']).toBe(sign('s', body));
    expect(headers['user-agent']).toBe('lc-services');
  });

  it('refuses a deadline that is not a number, sending nothing', async () => {
    const before = received.length;
    for (const deadline of ['soon', '']) {
      const run = await simulate(
        '--url',
        url,
        '--secret',
        's',
        '--etype',
        'health',
        '--deadline',
        deadline,
      );
      expect(run).toEqual({
        code: 2,
        stdout: '',
        stderr: `--deadline must be a number of seconds, got "${deadline}"\n`,
      });
    }
    expect(received).toHaveLength(before);
  });

  it('writes a large --json answer whole to a pipe before exiting', async () => {
    reply = {
      status: 200,
      type: 'application/json',
      body: JSON.stringify({ success: true, data: { pad: 'x'.repeat(1_000_000) } }),
    };
    const run = await simulate('--url', url, '--secret', 's', '--etype', 'health', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(reply.body));
  });

  it('names --data-file, not --data, when the file is not JSON, sending nothing', async () => {
    const before = received.length;
    const scratch = mkdtempSync(join(tmpdir(), 'lc-sim-data-'));
    try {
      const file = join(scratch, 'data.json');
      writeFileSync(file, '{"not": json');
      const run = await simulate(
        '--url',
        url,
        '--secret',
        's',
        '--etype',
        'health',
        '--data-file',
        file,
      );
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr).toMatch(/^--data-file is not JSON: /);
      expect(received).toHaveLength(before);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('prints a non-JSON answer with its status instead of crashing', async () => {
    reply = { status: 502, type: 'text/html', body: '<h1>Bad Gateway</h1>' };
    const run = await simulate('--url', url, '--secret', 's', '--etype', 'health');
    expect(run).toEqual({
      code: 1,
      stdout: 'HTTP 502 (not a LimaCharlie answer):\n<h1>Bad Gateway</h1>\n',
      stderr: '',
    });
  });

  it('exits 1 on a failure answer or a status other than 200, still printing the answer', async () => {
    const cases: [typeof reply, string, string[]][] = [
      [
        {
          status: 200,
          type: 'application/json',
          body: '{"success": false, "retry": true, "data": {}}',
        },
        'HTTP 200: failure (LimaCharlie will retry)\n',
        [],
      ],
      [
        { status: 500, type: 'application/json', body: '{"success": true, "data": {"a": 1}}' },
        'HTTP 500: success\ndata: {\n  "a": 1\n}\n',
        [],
      ],
      [
        { status: 401, type: 'application/json', body: '{"error": "bad signature"}' },
        'HTTP 401: bad signature\n',
        [],
      ],
      [
        { status: 200, type: 'application/json', body: '{"success": false, "error": "no"}' },
        '{\n  "success": false,\n  "error": "no"\n}\n',
        ['--json'],
      ],
      [
        { status: 200, type: 'application/json', body: '{"hello": "world"}' },
        'HTTP 200 (not a LimaCharlie answer):\n{"hello": "world"}\n',
        [],
      ],
    ];
    for (const [answer, stdout, extra] of cases) {
      reply = answer;
      const run = await simulate('--url', url, '--secret', 's', '--etype', 'health', ...extra);
      expect(run).toEqual({ code: 1, stdout, stderr: '' });
    }
    reply = { status: 200, type: 'application/json', body: '{"success": true, "data": {}}' };
    expect(await simulate('--url', url, '--secret', 's', '--etype', 'health')).toEqual({
      code: 0,
      stdout: 'HTTP 200: success\n',
      stderr: '',
    });
  });
});

describe('npm run lc-sim usage', () => {
  it('prints its usage for --help (and -h), exit code 0', async () => {
    expect(USAGE).toMatch(/^usage: npm run lc-sim -- --url URL --secret SECRET --etype ETYPE\n/);
    for (const flag of ['--help', '-h']) {
      expect(await simulate(flag)).toEqual({ code: 0, stdout: `${USAGE}\n`, stderr: '' });
    }
  });

  it('refuses unknown flags and missing values in one line, then the usage, exit code 2', async () => {
    expect(await simulate('--url', 'http://127.0.0.1:9/x', '--bogus')).toEqual({
      code: 2,
      stdout: '',
      stderr: `lc-sim: Unknown option '--bogus'\n${USAGE}\n`,
    });
    expect(await simulate('--secret', 's')).toEqual({
      code: 2,
      stdout: '',
      stderr: `lc-sim: missing --url, --etype\n${USAGE}\n`,
    });
    expect(await simulate('--url')).toEqual({
      code: 2,
      stdout: '',
      stderr: `lc-sim: Option '--url <value>' argument missing\n${USAGE}\n`,
    });
  });

  it('refuses a --data-file it cannot read in one line, exit code 2', async () => {
    const args = ['--url', 'http://127.0.0.1:9/x', '--secret', 's', '--etype', 'health'];
    expect(await simulate(...args, '--data-file', '/nonexistent/data.json')).toEqual({
      code: 2,
      stdout: '',
      stderr: '--data-file: cannot read /nonexistent/data.json (ENOENT)\n',
    });
  });
});
