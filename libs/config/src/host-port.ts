import { isIPv6 } from 'node:net';
import { ConfigError, quoted } from './config-error.js';
import type { Env } from './env.js';

/** A DNS name or an IPv4 address (what grpc-js resolves when no brackets are used). */
const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const PORT = /^\d{1,5}$/;

/**
 * Why `value` is not an address grpc-js can dial, or undefined when it is: `host:port`,
 * `[ipv6]:port`, optionally after grpc-js's `dns:`, `dns:///` or `dns://server/` prefix. The port
 * is required (grpc-js would otherwise quietly dial 443) and must be 1..65535.
 */
export function hostPortProblem(value: string): string | undefined {
  const target = value.replace(/^dns:(\/\/[^/]*\/)?/, '');
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):([^:]+)$/.exec(target);
  const notHostPort = `${quoted(value)} is not host:port`;
  if (match === null) return notHostPort;
  const [, ipv6, host, port = ''] = match;
  const hostOk = ipv6 !== undefined ? isIPv6(ipv6) : HOST_NAME.test(host ?? '');
  if (!hostOk || !PORT.test(port)) return notHostPort;
  if (Number(port) < 1 || Number(port) > 65535) {
    return `${notHostPort} (its port must be 1..65535)`;
  }
  return undefined;
}

/** An address to dial (see hostPortProblem), e.g. SCORING_ADDRESS. */
export function envHostPort(env: Env, name: string, fallback: string): string {
  return (
    optionalHostPort(env, name, `e.g. ${fallback}, or unset it for the default ${fallback}`) ??
    fallback
  );
}

/** An address to dial that may be left unset (a dependency the app can do without). */
export function envOptionalHostPort(env: Env, name: string, example: string): string | undefined {
  return optionalHostPort(env, name, `e.g. ${example}, or unset it`);
}

function optionalHostPort(env: Env, name: string, fixTail: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const problem = hostPortProblem(value);
  if (problem === undefined) return value;
  throw new ConfigError(name, problem, `set it to host:port, ${fixTail}`);
}

/** An interface to listen on: a host name, an IPv4 or an IPv6 address (no port), e.g. SCORING_HOST. */
export function envListenHost(env: Env, name: string, fallback: string): string {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (HOST_NAME.test(value) || isIPv6(value)) return value;
  throw new ConfigError(
    name,
    `${quoted(value)} is not a host name or IP address`,
    `set it to an address of this machine, e.g. 127.0.0.1 or 0.0.0.0 (every interface), or unset it for the default ${fallback}`,
  );
}
