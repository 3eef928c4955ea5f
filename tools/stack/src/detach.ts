import { spawn } from 'node:child_process';

const MARK = 'CHECKWIRE_STACK_SESSION';

/**
 * Ctrl-C in a terminal signals every process of the foreground group at once: the apps and
 * PostgreSQL would all stop together, PostgreSQL before the apps could drain. So `npm start` runs
 * the stack in a session of its own (a detached child) and passes SIGINT/SIGTERM on to it alone;
 * the stack then stops the apps first and PostgreSQL last. Returns true in the parent (which only
 * waits and forwards), false in the stack itself.
 */
export function runInOwnSession(): boolean {
  if (process.env[MARK] === '1') return false;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: 'inherit',
    env: { ...process.env, [MARK]: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 0)));
  return true;
}
