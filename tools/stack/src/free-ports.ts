import { createServer } from 'node:net';
import { DEFAULT_LISTEN_HOST, LISTEN_DEFAULTS, METRICS_DEFAULTS } from '@checkwire/config';

/** Whether `host:port` can be listened on now. */
function bindable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * Checks, before anything starts, that every fixed port the stack's apps will listen on (their
 * servers' and their /metrics) is free: the first taken one is a one-line message naming its
 * variable and the fix (otherwise it would be found only when that app starts, after the others).
 */
export async function requireFreePorts(env: Record<string, string | undefined>): Promise<void> {
  // The servers' ports, then their /metrics ports ("off": none).
  const ports = [...Object.values(LISTEN_DEFAULTS), ...Object.values(METRICS_DEFAULTS)];
  for (const { hostVar, portVar, port: fallback } of ports) {
    const raw = env[portVar]?.trim();
    const port = raw === undefined || raw === '' ? fallback : Number(raw);
    // 0 picks a free one; off and bad values: the app says (or serves nothing)
    if (!Number.isInteger(port) || port <= 0) continue;
    const host = env[hostVar] || DEFAULT_LISTEN_HOST;
    if (!(await bindable(host, port))) {
      throw new Error(
        `${portVar}: ${port} is in use by another program; set it to a free port (0 picks one)`,
      );
    }
  }
}
