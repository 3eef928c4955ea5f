import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { listen, portOf } from './helpers.js';

// A hostile server: it answers a connection by writing the same bytes again and again, as fast as
// the client takes them, until the client hangs up, and counts what it managed to write.

export interface FloodOptions {
  /** Written as soon as the client connects. */
  hello?: string | Buffer;
  /** Flood only once the client has sent something (a command, a request, a startup message). */
  waitForClient?: boolean;
  /** Written once when the flood starts. */
  preamble?: string | Buffer;
  /** Written again and again. */
  flood: string | Buffer;
}

export interface FloodServer {
  port: number;
  /**
   * Once the client has hung up (the server's socket closed): the bytes the server's kernel
   * took on that connection (write callbacks without error).
   */
  hungUp: Promise<number>;
  close(): Promise<void>;
}

/** Node reads a TCP socket at most 64 KiB at a time (libuv's read buffer). */
export const READ_CHUNK_BYTES = 64 * 1024;

/**
 * The most the kernel can hold between a server's write and the client's read on one loopback
 * connection: the largest send and receive buffers Linux autotunes to (the third numbers of
 * net.ipv4.tcp_wmem and tcp_rmem; 4 MiB + 6 MiB by default, more on some hosts).
 */
export function kernelBufferBytes(): number {
  const max = (name: string) =>
    Number(readFileSync(`/proc/sys/net/ipv4/${name}`, 'utf8').trim().split(/\s+/)[2]);
  return max('tcp_wmem') + max('tcp_rmem');
}

/**
 * The most a server can have written before a client that stops once it has read `limitBytes`
 * hangs up: one more socket read (64 KiB) on the client's side, and what the kernel can hold in
 * between (kernelBufferBytes: 10 MiB with Linux's defaults). A client without limits reads on
 * until its time limit; one with them stops after ~50 KiB here (logged by the tests).
 */
export const writtenBound = (limitBytes: number) =>
  limitBytes + READ_CHUNK_BYTES + kernelBufferBytes();

function flood(socket: Socket, options: FloodOptions): Promise<number> {
  let written = 0;
  const write = (data: Buffer) =>
    socket.write(data, (err) => {
      if (!err) written += data.length;
    });
  const chunk = Buffer.from(options.flood);
  const block = Buffer.concat(Array<Buffer>(Math.ceil(16_384 / chunk.length)).fill(chunk));
  // One block per turn of the event loop (the client in this process gets its turns), and none
  // while Node's own buffer is full.
  const more = () => {
    if (socket.destroyed) return;
    if (write(block)) setImmediate(more);
    else socket.once('drain', more);
  };
  const start = () => {
    if (options.preamble !== undefined) write(Buffer.from(options.preamble));
    more();
  };
  socket.on('error', () => undefined);
  if (options.hello !== undefined) write(Buffer.from(options.hello));
  if (options.waitForClient === true) socket.once('data', start);
  else start();
  return new Promise((resolve) => socket.once('close', () => resolve(written)));
}

export async function startFloodServer(options: FloodOptions): Promise<FloodServer> {
  let firstHungUp: (bytes: number) => void = () => undefined;
  const hungUp = new Promise<number>((resolve) => (firstHungUp = resolve));
  const sockets = new Set<Socket>();
  const server: Server = await listen(
    createServer((socket) => {
      sockets.add(socket);
      void flood(socket, options).then(firstHungUp);
    }),
  );
  return {
    port: portOf(server),
    hungUp,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
