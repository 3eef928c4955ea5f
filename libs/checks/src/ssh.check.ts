import { Client } from 'ssh2';
import { down, fromNetworkError, up, withTimeout, type Check } from './check.js';
import { hangUp, meteredSocket } from './metered-socket.js';
import { DEFAULT_PORTS } from './default-ports.js';

/**
 * Logs in over SSH with the service's password. Its socket is metered (at most
 * MAX_CONVERSATION_BYTES from the server: ssh2 alone accepts 8 MiB of lines before the banner
 * and any number of packets) and closed at the end.
 */
export const sshCheck: Check = async (t, { timeoutMs }) => {
  const socket = meteredSocket().connect(t.port || DEFAULT_PORTS.ssh, t.host);
  const client = new Client();
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        client.once('ready', resolve);
        client.once('error', reject);
        client.connect({
          sock: socket,
          username: t.username,
          password: t.password,
          readyTimeout: timeoutMs,
          // Competition hosts are rebuilt: their host keys are not pinned.
          hostVerifier: () => true,
        });
      }),
      timeoutMs,
    );
    return up(`ssh login as ${t.username} accepted`);
  } catch (err) {
    const level = (err as { level?: string }).level;
    if (level === 'client-authentication')
      return down('credentials', `ssh login as ${t.username} refused`);
    if (level === 'client-timeout') return down('timeout', `ssh ${t.host}: timed out`);
    return fromNetworkError(err, `ssh ${t.host}`);
  } finally {
    // ssh2 may report the end of a failed handshake as one more 'error' after the first: with
    // no listener left, that would be an uncaught exception and take the runner down.
    client.on('error', () => undefined);
    client.end();
    hangUp(socket);
  }
};
