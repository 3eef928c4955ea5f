import { Client } from 'ssh2';
import {
  down,
  fromNetworkError,
  withTimeout,
  type CheckResult,
  type CheckTarget,
} from './check.js';
import { LimitExceededError } from './limits.js';
import { hangUp, meteredSocket } from './metered-socket.js';
import { MalformedReplyError, serverText } from './server-reply.js';

/**
 * Logs in over SSH with the service's password (as the ssh check does: a metered socket, host
 * keys not pinned) and runs `work` on the session, all within one time limit. The connection is
 * closed at the end, whatever `work` left open; a connection that fails while `work` waits (the
 * server hangs up, the meter cuts it) rejects `work`'s wait.
 */
export async function withSshSession<T>(
  t: CheckTarget,
  defaultPort: number,
  timeoutMs: number,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const socket = meteredSocket().connect(t.port || defaultPort, t.host);
  const client = new Client();
  const failed = new Promise<never>((_, reject) => {
    client.on('error', reject);
    client.on('close', () =>
      reject(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' })),
    );
  });
  failed.catch(() => undefined);
  try {
    return await withTimeout(
      (async () => {
        await Promise.race([
          new Promise<void>((resolve) => {
            client.once('ready', resolve);
            client.connect({
              sock: socket,
              username: t.username,
              password: t.password,
              readyTimeout: timeoutMs,
              // Competition hosts are rebuilt: their host keys are not pinned.
              hostVerifier: () => true,
            });
          }),
          failed,
        ]);
        return await Promise.race([work(client), failed]);
      })(),
      timeoutMs,
    );
  } finally {
    client.end();
    hangUp(socket);
  }
}

/**
 * A failed SSH session as a result: a refused login is credentials; what ssh2 could not parse (a
 * malformed greeting or packet, a failed key exchange: errors without a network code) is content.
 */
export function sshFailure(err: unknown, what: string, username: string): CheckResult {
  const { level, code, message } = err as { level?: string; code?: string; message?: string };
  if (level === 'client-authentication')
    return down('credentials', `${what}: login as ${username} refused`);
  if (level === 'client-timeout') return down('timeout', `${what}: timed out`);
  if (
    err instanceof LimitExceededError ||
    err instanceof MalformedReplyError ||
    code !== undefined
  ) {
    return fromNetworkError(err, what);
  }
  if (level === undefined || level === 'protocol' || level === 'handshake') {
    return down('content', `${what}: SSH protocol error: ${serverText(message ?? String(err))}`);
  }
  return fromNetworkError(err, what);
}
