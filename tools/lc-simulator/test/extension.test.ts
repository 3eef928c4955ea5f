import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGrpcServer } from '@checkwire/grpc';
import { LcGatewayApp } from '@checkwire/lc-gateway';
import {
  Extension,
  ExtensionError,
  serveExtension,
  type ErrorReport,
  type ExtensionContext,
  type RequestContext,
} from '@checkwire/lc-sdk';

// `npm run lc-sim -- --extension` against the real gateway and a real SDK extension: every
// message kind, gzip bodies, and the answers as a person reads them, with their exit codes.

const root = join(import.meta.dirname, '..', '..', '..');
const SECRET = 'sim-ext-secret';

class Echo extends Extension {
  readonly requests: RequestContext[] = [];
  readonly reports: ErrorReport[] = [];
  constructor() {
    super('echo');
    this.action(
      'echo',
      { parameters: { fields: { text: { data_type: 'string' } }, requirements: [['text']] } },
      (ctx) => {
        this.requests.push(ctx);
        return { data: { echoed: ctx.data.text }, metrics: [{ sku: 'echoes', value: 1 }] };
      },
    );
    this.action('busy', {}, () => {
      throw new ExtensionError('busy, try later');
    });
    this.onEvent('subscribe', (ctx) => ({ data: { hello: ctx.org.oid } }));
  }
  override validateConfig(ctx: ExtensionContext) {
    if (ctx.config.level !== 'ok')
      throw new ExtensionError('level must be ok', { retriable: false });
  }
  override onErrorReport(report: ErrorReport) {
    this.reports.push(report);
  }
}

async function simulate(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'tools/lc-simulator/src/main.ts', '--extension', ...args],
      { cwd: root },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const echo = new Echo();
let handler: RunningGrpcServer;
let gateway: LcGatewayApp;

beforeAll(async () => {
  handler = await serveExtension(echo);
  gateway = await LcGatewayApp.start({
    routes: [],
    extensions: [{ name: 'echo', secret: SECRET, handler: handler.address }],
  });
});
afterAll(async () => {
  await gateway.stop();
  await handler.shutdown(100);
});

const sim = (...args: string[]) =>
  simulate('--url', `${gateway.url}/ext/echo`, '--secret', SECRET, ...args);

describe('npm run lc-sim -- --extension', () => {
  it('sends a request, gzip-compressed, and shows its data and metrics (exit code 0)', async () => {
    const run = await sim(
      '--kind',
      'request',
      '--action',
      'echo',
      '--data',
      '{"text": "hello"}',
      '--oid',
      'org-7',
      '--idempotency-key',
      'sim-key-1',
      '--gzip',
    );
    expect(run).toEqual({
      code: 0,
      stdout: 'HTTP 200: success\ndata: {\n  "echoed": "hello"\n}\nmetric: echoes = 1\n',
      stderr: '',
    });
    expect(echo.requests.at(-1)).toMatchObject({
      idempotencyKey: 'sim-key-1',
      org: { oid: 'org-7' },
      data: { text: 'hello' },
    });
  });

  it('sends every other kind', async () => {
    const runs = await Promise.all([
      sim('--kind', 'heartbeat'),
      sim('--kind', 'schema_request', '--json'),
      sim('--kind', 'event', '--event-name', 'subscribe', '--oid', 'org-8'),
      sim('--kind', 'conf_validation', '--oid', 'org-8', '--config', '{"level": "ok"}'),
      sim('--kind', 'error_report', '--error', 'it broke', '--oid', 'org-9'),
    ]);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
    expect(runs[0].stdout).toBe('HTTP 200: success\n');
    const schema = JSON.parse(runs[1].stdout) as { data: Record<string, unknown> };
    expect(Object.keys(schema.data.request_schema as object)).toEqual(['echo', 'busy']);
    expect(schema.data.required_events).toEqual(['subscribe']);
    expect(runs[2].stdout).toBe('HTTP 200: success\ndata: {\n  "hello": "org-8"\n}\n');
    expect(echo.reports.at(-1)).toMatchObject({ oid: 'org-9', error: 'it broke' });
  });

  it('shows final and retriable errors and refusals as a person reads them (exit code 1)', async () => {
    const runs = await Promise.all([
      sim('--kind', 'conf_validation', '--oid', 'o', '--config', '{"level": "high"}'),
      sim('--kind', 'request', '--oid', 'o', '--action', 'busy'),
      sim('--kind', 'request', '--oid', 'o', '--action', 'echo', '--data', '{"text": 3}'),
      simulate('--url', `${gateway.url}/ext/echo`, '--secret', 'wrong', '--kind', 'heartbeat'),
    ]);
    expect(runs).toEqual([
      { code: 1, stdout: 'HTTP 400: error (final): level must be ok\n', stderr: '' },
      {
        code: 1,
        stdout: 'HTTP 500: error (LimaCharlie will send it again): busy, try later\n',
        stderr: '',
      },
      {
        code: 1,
        stdout:
          'HTTP 400: error (final): invalid parameter "text": expected a string, got an integer\n',
        stderr: '',
      },
      {
        code: 1,
        stdout: 'HTTP 401: error (final): missing or bad lc-ext-sig signature\n',
        stderr: '',
      },
    ]);
  });

  it('refuses a usage mistake with exit code 2', async () => {
    const runs = await Promise.all([
      sim('--kind', 'nap'),
      sim('--kind', 'request'),
      sim('--kind', 'request', '--oid', 'o', '--action', 'echo', '--data', '{oops'),
      sim('--kind', 'event', '--event-name', 'subscribe'),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(runs[0].stderr).toContain(
      'lc-sim: --kind must be one of heartbeat, error_report, conf_validation, schema_request, request, event',
    );
    expect(runs[1].stderr).toContain('lc-sim: a request needs --action');
    expect(runs[2].stderr).toMatch(/^--data is not JSON: /);
    expect(runs[3].stderr).toContain('lc-sim: event needs --oid (the org it is about)');
  });
});
