import { ConfigError } from './config-error.js';
import type { Env } from './env.js';
import { checkLogConfig } from './log-config.js';

/** An unexpected failure: its class, code and message, and its stack frames; never its fields. */
function describeFailure(err: unknown): string {
  if (!(err instanceof Error)) return `${typeof err} thrown`;
  const code = (err as { code?: unknown }).code;
  const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  const head = `${err.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${err.message}`;
  return [head, ...frames.slice(0, 10)].join('\n');
}

/**
 * Runs an app's start-up: LOG_LEVEL and LOG_FORMAT first, then `main` (config, telemetry,
 * servers). A ConfigError from any of it is printed as ONE line on stderr,
 * `<app>: <VARIABLE>: <problem>; <fix>`, and the process exits with code 2, no stack trace;
 * anything else as `<app>: failed to start: …` with its stack frames, exit code 1.
 */
export async function runMain(
  app: string,
  main: () => Promise<void>,
  env: Env = process.env,
): Promise<void> {
  try {
    checkLogConfig(env);
    await main();
  } catch (err) {
    const config = err instanceof ConfigError;
    process.stderr.write(
      `${app}: ${config ? err.message : `failed to start: ${describeFailure(err)}`}\n`,
    );
    process.exit(config ? 2 : 1);
  }
}
