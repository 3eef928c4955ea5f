import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** An app run as its own process, as in production. */
export interface AppSpec {
  name: string;
  /**
   * Entry point, relative to the working directory: compiled JavaScript (`.js`, run by node with
   * source maps) or TypeScript (run with tsx, from source).
   */
  entry: string;
  /** A line the app prints once it serves; the first capture group is its address. */
  ready: RegExp;
  /** Echo the app's output, prefixed with its name. @default true */
  echo?: boolean;
  /** Working directory (tsx reads tsconfig.json from it). @default process.cwd() */
  cwd?: string;
  /** Flags for node itself, before the entry (e.g. `--cpu-prof`). @default none */
  nodeArgs?: string[];
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

/** node's arguments for an entry point. */
function nodeArguments(spec: AppSpec): string[] {
  const flags = spec.nodeArgs ?? [];
  if (spec.entry.endsWith('.js')) return [...flags, '--enable-source-maps', spec.entry];
  return [...flags, '--import', 'tsx', spec.entry];
}

/**
 * Starts an app as a child process (node, or node + tsx from source), prefixes its output with
 * its name and resolves once it prints its ready line. Rejects if it exits first, or once it has
 * exited after `signal` aborted (it is sent SIGTERM then, SIGKILL 10 s later).
 */
export function startApp(
  spec: AppSpec,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<RunningApp> {
  const child = spawn(process.execPath, nodeArguments(spec), {
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
    const abandon = () => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    };
    if (signal?.aborted === true) abandon();
    else signal?.addEventListener('abort', abandon, { once: true });
    void exited.then(() => signal?.removeEventListener('abort', abandon));
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
