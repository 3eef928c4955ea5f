import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** An app run as its own process, as in production. */
export interface AppSpec {
  name: string;
  /** Entry point (TypeScript, run with tsx), relative to the working directory. */
  entry: string;
  /** A line the app prints once it serves; the first capture group is its address. */
  ready: RegExp;
  /** Echo the app's output, prefixed with its name. @default true */
  echo?: boolean;
  /** Working directory (tsx reads tsconfig.json from it). @default process.cwd() */
  cwd?: string;
}

export interface RunningApp {
  spec: AppSpec;
  address: string;
  process: ChildProcess;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Every stdout line so far (it keeps growing while the app runs). */
  output: string[];
}

/**
 * Starts an app as a child process (node + tsx), prefixes its output with its name and resolves
 * once it prints its ready line. Rejects if it exits first.
 */
export function startApp(spec: AppSpec, env: NodeJS.ProcessEnv): Promise<RunningApp> {
  const child = spawn(process.execPath, ['--import', 'tsx', spec.entry], {
    env,
    cwd: spec.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const onLine = (line: string) => {
      output.push(line);
      if (spec.echo !== false) console.log(`[${spec.name}] ${line}`);
      const match = spec.ready.exec(line);
      if (match?.[1] !== undefined) {
        resolve({ spec, address: match[1], process: child, exited, output });
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', (line) =>
      console.error(`[${spec.name}] ${line}`),
    );
    void exited.then((code) =>
      reject(new Error(`${spec.name} exited with code ${code} before it was ready`)),
    );
  });
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopApp(app: RunningApp, graceMs = 10_000): Promise<void> {
  if (app.process.exitCode !== null) return;
  app.process.kill('SIGTERM');
  const timer = setTimeout(() => app.process.kill('SIGKILL'), graceMs);
  await app.exited;
  clearTimeout(timer);
}
