import { DEFAULT_LISTEN_HOST, LISTEN_DEFAULTS, type ListeningApp } from '@checkwire/config';

/**
 * The gRPC addresses of the apps that will listen on a fixed port (every one by default), known
 * before they start: the apps given them need not wait. An app on port 0, or on a wildcard host
 * (its address is whatever it reports), is left out and waited for.
 */
export function fixedAddresses(env: Record<string, string | undefined>): Map<string, string> {
  const known = new Map<string, string>();
  const grpcApps: ListeningApp[] = ['scoring', 'jobs', 'scheduler', 'lc-example'];
  for (const app of grpcApps) {
    const { hostVar, portVar, port: fallback } = LISTEN_DEFAULTS[app];
    const raw = env[portVar]?.trim();
    const port = raw === undefined || raw === '' ? fallback : Number(raw);
    const host = env[hostVar]?.trim() || DEFAULT_LISTEN_HOST;
    if (!Number.isInteger(port) || port <= 0 || port > 65535) continue;
    if (host === '0.0.0.0' || host === '::' || host === '[::]') continue;
    known.set(
      app,
      host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`,
    );
  }
  return known;
}
