import { ConfigError, quoted } from './config-error.js';
import { errorChain } from './error-chain.js';

/** A variable and the value the app took from it (its default when unset). */
export type Setting<T> = readonly [variable: string, value: T];

/**
 * The errno of a failed listen: Node's servers set `syscall: 'listen'` (or fail to look the host
 * up); grpc-js only says it in words ("No address added out of total 1 resolved errors:
 * [listen EADDRINUSE: …]", "Name resolution failed for target dns:…").
 */
function listenErrno(err: unknown, host: string): string | undefined {
  for (const e of errorChain(err)) {
    const { code, syscall, hostname, message } = e as Record<string, unknown>;
    if (syscall === 'listen' && typeof code === 'string') return code;
    if (syscall === 'getaddrinfo' && hostname === host) return 'ENOTFOUND';
    if (typeof message !== 'string') continue;
    const inWords = /\blisten (E[A-Z]+)\b/.exec(message)?.[1];
    if (inWords !== undefined) return inWords;
    if (message.startsWith('Name resolution failed for target')) return 'ENOTFOUND';
  }
  return undefined;
}

const ANOTHER_HOST =
  'set it to an address of this machine, e.g. 127.0.0.1, or 0.0.0.0 for every interface';

/**
 * Why a server could not listen on `host`:`port`, as a ConfigError naming the variable to change,
 * or undefined when `err` is something else.
 */
export function listenFailure(
  err: unknown,
  [hostVariable, host]: Setting<string>,
  [portVariable, port]: Setting<number>,
): ConfigError | undefined {
  switch (listenErrno(err, host)) {
    case 'EADDRINUSE':
      return new ConfigError(
        portVariable,
        `${port} is in use by another program`,
        'set it to a free port (0 picks one)',
      );
    case 'EACCES':
      return new ConfigError(
        portVariable,
        `${port} may only be used by privileged programs`,
        'set it to a port from 1024 up (0 picks a free one)',
      );
    case 'EADDRNOTAVAIL':
      return new ConfigError(
        hostVariable,
        `${quoted(host)} is not an address of this machine`,
        ANOTHER_HOST,
      );
    case 'ENOTFOUND':
      return new ConfigError(hostVariable, `${quoted(host)} is not found`, ANOTHER_HOST);
    default:
      return undefined;
  }
}
