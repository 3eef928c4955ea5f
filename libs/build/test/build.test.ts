import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { healthStatus } from '@checkwire/grpc';
import { startApp, stopApp } from '@checkwire/proc';
import { buildApp } from '../src/index.js';
import { FREE_METRICS_PORTS } from '@checkwire/testing';

// A real esbuild build of a real app, run by node alone (no tsx), answering gRPC.

const root = join(import.meta.dirname, '..', '..', '..');
// Inside the workspace, so the bundle finds node_modules as dist/server does.
mkdirSync(join(root, 'dist'), { recursive: true });
const scratch = mkdtempSync(join(root, 'dist', 'build-test-'));
const outdir = join(scratch, 'lc-example');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('buildApp', () => {
  it('compiles an app that node runs without tsx, serving gRPC', async () => {
    const first = await buildApp(root, 'lc-example', false, outdir);
    expect(first.built).toBe(true);
    expect(existsSync(join(outdir, 'main.js.map'))).toBe(true);
    // The descriptor set the gRPC server reads beside its code came along.
    expect(
      readFileSync(join(outdir, 'gen', 'descriptor.binpb')).equals(
        readFileSync(join(root, 'libs/proto/src/gen/descriptor.binpb')),
      ),
    ).toBe(true);
    const app = await startApp(
      {
        name: 'lc-example (built)',
        entry: join(outdir, 'main.js'),
        ready: /LcHandlerService listening on ([^\s"]+)/,
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
    try {
      // The node that runs it was given no loader: this is the compiled JavaScript answering.
      expect(app.process.spawnargs).not.toContain('tsx');
      expect(await healthStatus(app.address, 'checkwire.lc.v1.LcHandlerService')).toBe('SERVING');
    } finally {
      await stopApp(app);
    }
  });

  it('skips a current build and rebuilds when one of its sources changes', async () => {
    await buildApp(root, 'lc-example', false, outdir);
    expect((await buildApp(root, 'lc-example', false, outdir)).built).toBe(false);
    // A source the bundle was made of, touched (its content is unchanged).
    const stamp = JSON.parse(readFileSync(join(outdir, 'build-stamp.json'), 'utf8')) as {
      inputs: string[];
    };
    const source = stamp.inputs.find((f) => f.startsWith('apps/lc-example/src/'))!;
    const now = new Date();
    utimesSync(join(root, source), now, now);
    expect((await buildApp(root, 'lc-example', false, outdir)).built).toBe(true);
    expect((await buildApp(root, 'lc-example', true, outdir)).built).toBe(true);
  });
});
