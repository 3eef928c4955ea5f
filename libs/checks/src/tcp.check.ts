import { connect } from 'node:net';
import { fromNetworkError, up, withTimeout, type Check } from './check.js';

/** The port accepts a TCP connection. */
export const tcpCheck: Check = async (t, { timeoutMs }) => {
  const socket = connect({ host: t.host, port: t.port });
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      }),
      timeoutMs,
    );
    return up(`connected to ${t.host}:${t.port}`);
  } catch (err) {
    return fromNetworkError(err, `tcp ${t.host}:${t.port}`);
  } finally {
    socket.destroy();
  }
};
