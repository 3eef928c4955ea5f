import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { withTimeout } from './check.js';
import { LimitExceededError, MAX_CONVERSATION_BYTES } from './limits.js';

/** A lost datagram is sent again after this long, until the time limit (RFC 4330 suggests ≥ 1 s). */
export const UDP_RETRANSMIT_MS = 1000;

/**
 * One request/answer over UDP (NTP, SNMP): a socket connected to the server (so only its
 * datagrams arrive, and an ICMP "port unreachable" fails as ECONNREFUSED), the request (or
 * requests) sent again every UDP_RETRANSMIT_MS, each datagram given to `answer` until it returns
 * a value. A datagram is at most 64 KiB; all of them together at most MAX_CONVERSATION_BYTES
 * (else a LimitExceededError). An `answer` that throws ends the exchange with its error.
 */
export async function udpExchange<T>(
  host: string,
  port: number,
  timeoutMs: number,
  request: Buffer | readonly Buffer[],
  answer: (datagram: Buffer) => T | undefined,
): Promise<T> {
  const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  let timer: NodeJS.Timeout | undefined;
  try {
    return await withTimeout(
      new Promise<T>((resolve, reject) => {
        let received = 0;
        socket.on('error', reject);
        socket.on('message', (datagram) => {
          received += datagram.length;
          if (received > MAX_CONVERSATION_BYTES) {
            reject(
              new LimitExceededError(
                `more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
              ),
            );
            return;
          }
          try {
            const value = answer(datagram);
            if (value !== undefined) resolve(value);
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
        socket.connect(port, host, () => {
          const send = () => {
            for (const r of [request].flat()) socket.send(r, (err) => err && reject(err));
          };
          send();
          timer = setInterval(send, UDP_RETRANSMIT_MS);
        });
      }),
      timeoutMs,
    );
  } finally {
    clearInterval(timer);
    socket.close();
  }
}
