import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@checkwire/log';
import { SupervisedApp, type SupervisorOptions } from '../src/index.js';

const entry = join(import.meta.dirname, 'fixtures', 'tcp-app.ts');
const root = join(import.meta.dirname, '..', '..', '..');

function logged() {
  const lines: string[] = [];
  const log = createLogger('test', { level: 'debug', write: (_l, line) => lines.push(line) });
  return { log, lines };
}

async function until(probe: () => boolean): Promise<void> {
  while (!probe()) await new Promise((r) => setTimeout(r, 20));
}

/** The first line a TCP connection to `port` reads. */
function greeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.setEncoding('utf8');
    socket.once('data', (d: string) => {
      socket.destroy();
      resolve(d.trim());
    });
    socket.once('error', reject);
  });
}

/** The fixture app, supervised, keeping its port across restarts. */
function tcpApp(options: SupervisorOptions): SupervisedApp {
  return new SupervisedApp(
    {
      name: 'tcp-app',
      entry,
      ready: /listening on (\S+)/,
      echo: false,
      cwd: root,
      portEnv: 'APP_PORT',
    },
    () => ({ ...process.env, APP_PORT: '0' }),
    options,
  );
}

describe('SupervisedApp', () => {
  it('restarts an app killed with SIGKILL on the same port, and says so', async () => {
    const { log, lines } = logged();
    const app = tcpApp({ log, initialBackoffMs: 50 });
    try {
      const first = await app.start();
      const port = Number(first.address.split(':')[1]);
      first.process.kill('SIGKILL');
      await until(() => app.restarts === 1);
      expect(app.address).toBe(first.address);
      expect(await greeting(port)).toBe('hello');
      expect(lines[0]).toMatch(
        /^test: tcp-app exited unexpectedly \(signal SIGKILL\); restarting it in 0\.1 s \(crash 1 of at most 5 within 60 s\)$/,
      );
      expect(lines[1]).toMatch(
        new RegExp(`^test: tcp-app is back on ${first.address} after \\d+\\.\\d s$`),
      );
    } finally {
      await app.stop();
    }
  });

  it('gives up, loudly, on an app that keeps crashing', async () => {
    const { log, lines } = logged();
    let crash = false;
    let gaveUp: string | undefined;
    const app = new SupervisedApp(
      { name: 'flaky', entry, ready: /listening on (\S+)/, echo: false, cwd: root },
      () => ({ ...process.env, APP_PORT: '0', CRASH_AT_START: crash ? '1' : '0' }),
      {
        log,
        initialBackoffMs: 10,
        maxBackoffMs: 20,
        maxRestarts: 2,
        onGiveUp: (n) => (gaveUp = n),
      },
    );
    try {
      const first = await app.start();
      crash = true;
      first.process.kill('SIGKILL');
      await until(() => gaveUp !== undefined);
      expect(gaveUp).toBe('flaky');
      expect(app.restarts).toBe(0);
      expect(lines.at(-1)).toMatch(
        /^test: flaky failed to start again \(.*\); it crashed 3 times within 60 s, so it is given up \(its output is above\)\. The other apps keep running\.$/,
      );
    } finally {
      await app.stop();
    }
  });

  it('kills a start still waiting for its ready line when stopped, and starts nothing after', async () => {
    const { log } = logged();
    const dir = mkdtempSync(join(tmpdir(), 'checkwire-proc-'));
    const pidFile = join(dir, 'pid');
    const app = new SupervisedApp(
      { name: 'hanging', entry, ready: /listening on (\S+)/, echo: false, cwd: root },
      () => ({ ...process.env, APP_PORT: '0', HANG_AT_START: '1', PID_FILE: pidFile }),
      { log },
    );
    try {
      const starting = app.start();
      const refused = expect(starting).rejects.toThrow(/hanging exited .* before it was ready/);
      await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '');
      const pid = Number(readFileSync(pidFile, 'utf8'));
      await app.stop();
      await refused;
      // The process is gone: signal 0 to a pid that no longer exists throws ESRCH.
      expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
      await expect(app.start()).rejects.toThrow('hanging is stopping: not started');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('restarts on demand on the same address, without counting a crash', async () => {
    const { log, lines } = logged();
    const app = tcpApp({ log });
    try {
      const first = await app.start();
      const again = await app.restartNow();
      expect(again!.address).toBe(first.address);
      expect(again!.process.pid).not.toBe(first.process.pid);
      expect(first.process.exitCode).toBe(0);
      expect(await greeting(Number(first.address.split(':')[1]))).toBe('hello');
      expect(app.restarts).toBe(0);
      expect(lines).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});
