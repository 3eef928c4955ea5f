import { Socket } from 'node:net';
import { LimitExceededError, MAX_CONVERSATION_BYTES } from './limits.js';

/**
 * An unconnected TCP socket for a protocol client (pg, mysql2, ssh2) that counts what the server
 * sends: past `maxBytes` it is destroyed with a LimitExceededError, which the client reports as
 * its connection's error. The clients themselves buffer whatever message length the server
 * announces (a PostgreSQL message may announce 2 GiB; MySQL chains 16 MiB packets).
 */
export function meteredSocket(maxBytes: number = MAX_CONVERSATION_BYTES): Socket {
  const socket = new Socket().setNoDelay(true);
  let received = 0;
  // A 'data' listener before any other: the clients attach theirs synchronously once they
  // connect (ssh2 pauses the socket first), so no chunk is emitted before they listen.
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) {
      socket.destroy(new LimitExceededError(`more than ${maxBytes} bytes in one conversation`));
    }
  });
  return socket;
}

/**
 * Ends a conversation whatever the server still sends: once what the client wrote last (its
 * goodbye) is flushed, the socket is destroyed; one still connecting is destroyed at once.
 * (`end(callback)` calls back on 'finish' even when the client has already ended the socket.)
 */
export function hangUp(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting) socket.destroy();
  else socket.end(() => socket.destroy());
}
