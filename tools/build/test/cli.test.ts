import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// `npm run build`'s command line, as Nx runs it per app.

const root = join(import.meta.dirname, '..', '..', '..');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'tools/build/src/main.ts', ...args],
      { cwd: root },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('tools/build', () => {
  it('compiles the app it is given, then finds it up to date', async () => {
    const first = await cli('lc-example');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(
      /^lc-example {2}dist\/server\/lc-example\/main\.js {2}(built in \d+ ms|up to date)\n$/,
    );
    expect(await cli('lc-example')).toEqual({
      code: 0,
      stdout: 'lc-example  dist/server/lc-example/main.js  up to date\n',
      stderr: '',
    });
  });

  it('names the apps it knows when given one it does not', async () => {
    expect(await cli('scorin')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'unknown app scorin: one of scoring, jobs, console, lc-example, scheduler, lc-gateway, runner, cli\n',
    });
  });
});
