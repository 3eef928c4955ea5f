import type { ServiceCheckSettings } from '@checkwire/check-settings';
import { LimitExceededError } from './limits.js';
import { MalformedReplyError } from './server-reply.js';

/** What a check needs to know about the service it probes. */
export interface CheckTarget {
  /** Host name or address (from the service's url). */
  host: string;
  /** 0: the protocol's default. */
  port: number;
  /** The service's url as configured (HTTP checks request it). */
  url: string;
  /** Expected content (HTTP body substring, DNS answer, SQL query result). */
  expect: string;
  /** Extra protocol input: the DNS name to resolve, the SQL database, … */
  info: string;
  username: string;
  password: string;
  /** The service's check settings (content rules, HTTP, DNS and SQL settings), validated. */
  settings: ServiceCheckSettings;
}

export type FailureKind = 'timeout' | 'connection' | 'content' | 'credentials' | 'other';

export type CheckResult =
  /**
   * `content`: what the check read that the settings' content rules judge (a body, a file, a
   * command's output…), when the check has such a thing; `share`: the rules that held, of how
   * many, when only some did and the settings allow a partial result.
   */
  | { up: true; message: string; content?: string | Buffer; share?: { held: number; of: number } }
  | { up: false; kind: FailureKind; message: string; detail?: string };

export interface CheckOptions {
  timeoutMs: number;
}

/** One protocol's probe. Never throws for the service's faults: they are results. */
export type Check = (target: CheckTarget, options: CheckOptions) => Promise<CheckResult>;

export const up = (message: string, content?: string | Buffer): CheckResult =>
  content === undefined ? { up: true, message } : { up: true, message, content };
export const down = (kind: FailureKind, message: string, detail?: string): CheckResult => ({
  up: false,
  kind,
  message,
  ...(detail === undefined ? {} : { detail }),
});

/**
 * A Node network error as a check result (refused/unreachable = connection, timeouts = timeout);
 * a server that sent more than a limit allows, or something its protocol does not allow, fails as
 * content.
 */
export function fromNetworkError(err: unknown, what: string): CheckResult {
  if (err instanceof LimitExceededError || err instanceof MalformedReplyError)
    return down('content', `${what}: ${err.message}`);
  // LineClient refused to send a command with a line break (its text is not repeated: a secret).
  if ((err as { code?: string }).code === 'ELINEBREAK')
    return down('other', `${what}: a command would hold a line break`);
  const e = err as { code?: string; message?: string };
  if (e.code === 'ETIMEDOUT' || e.code === 'CHECK_TIMEOUT')
    return down('timeout', `${what}: timed out`);
  if (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'ENOTFOUND',
      'EPIPE',
      'EAI_AGAIN',
    ].includes(e.code ?? '')
  ) {
    return down('connection', `${what}: ${e.code}`, e.message);
  }
  return down('other', `${what}: ${e.message ?? String(err)}`);
}

/** Rejects with code CHECK_TIMEOUT after `ms`, unless `work` settles first. */
export async function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  onTimeout?: () => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(Object.assign(new Error(`timed out after ${ms} ms`), { code: 'CHECK_TIMEOUT' }));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
