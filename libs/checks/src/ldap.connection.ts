import { connect, isIP, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { down, type CheckResult } from './check.js';
import { LimitExceededError, MAX_CONVERSATION_BYTES } from './limits.js';
import { meteredSocket } from './metered-socket.js';
import { MalformedReplyError } from './server-reply.js';

/**
 * A TCP or TLS connection that reads whole BER messages (a SEQUENCE, tag 0x30, of definite
 * length: an LDAPMessage). All the server sends counts toward MAX_CONVERSATION_BYTES, and a
 * message's announced length is checked before it is read; past either the socket is destroyed.
 * Chunks wait in a list until a whole message is there, so reading is linear however the server
 * splits its bytes. The check's own time limit (withTimeout) ends a wait: close() then.
 */
export class BerConnection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private received = 0;
  private failure: Error | undefined;
  private waiter: (() => void) | undefined;

  /** Settles once connected (and, over TLS, once the handshake is complete). */
  readonly ready: Promise<void>;

  private constructor(
    private readonly socket: Socket,
    connected: 'connect' | 'secureConnect',
  ) {
    this.ready = new Promise((resolve, reject) => {
      socket.once(connected, resolve);
      socket.once('error', reject);
      socket.once('close', () => reject(this.failure ?? new Error('connection closed')));
    });
    this.ready.catch(() => undefined);
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (this.received > MAX_CONVERSATION_BYTES) {
        this.fail(
          new LimitExceededError(`more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`),
        );
        return;
      }
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.waiter?.();
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () =>
      this.fail(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' })),
    );
  }

  /**
   * Connects, and with `tls` completes a TLS handshake (any certificate: not verified). The
   * connection exists at once, so close() ends it however far it got; `ready` settles once
   * connected.
   */
  static connect(host: string, port: number, tls: boolean): BerConnection {
    if (!tls) return new BerConnection(connect({ host, port }).setNoDelay(true), 'connect');
    const raw = meteredSocket().connect(port, host);
    return new BerConnection(tlsOverMetered(raw, host), 'secureConnect');
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.socket.destroy();
    this.waiter?.();
  }

  /** The next whole message (tag, length and content). */
  async next(): Promise<Buffer> {
    for (;;) {
      const length = this.announced();
      if (length !== undefined && this.buffered >= length) {
        const all = Buffer.concat(this.chunks);
        this.chunks = [all.subarray(length)];
        this.buffered -= length;
        return all.subarray(0, length);
      }
      if (this.failure !== undefined) throw this.failure;
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = undefined;
    }
  }

  /** The whole length of the next message, once its header is there. */
  private announced(): number | undefined {
    if (this.buffered < 2) return undefined;
    const head = Buffer.concat(this.chunks, Math.min(this.buffered, 6));
    if (head[0] !== 0x30) throw this.malformed('not a BER SEQUENCE');
    const first = head[1]!;
    if (first < 0x80) return 2 + first;
    const n = first & 0x7f;
    if (n === 0 || n > 4) throw this.malformed('an unsupported BER length');
    if (head.length < 2 + n) return undefined;
    const length = head.readUIntBE(2, n);
    if (length > MAX_CONVERSATION_BYTES) {
      throw this.malformed(`a message of ${length} bytes (more than ${MAX_CONVERSATION_BYTES})`);
    }
    return 2 + n + length;
  }

  private malformed(message: string): MalformedReplyError {
    this.socket.destroy();
    return new MalformedReplyError(message);
  }
}

/**
 * TLS (any certificate: not verified) over a metered socket, through a Duplex of its own: given
 * the socket itself, Node's TLS would read the socket's handle directly and the meter would see
 * nothing (an endless stream of TLS records would then be bounded only by the time limit).
 */
export function tlsOverMetered(socket: Socket, host: string): TLSSocket {
  const relay = new Duplex({
    read: () => void socket.resume(),
    write: (chunk: Buffer, _encoding, done) => void socket.write(chunk, done),
    final: (done) => void socket.end(done),
    destroy: (err, done) => {
      socket.destroy();
      done(err);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    if (!relay.push(chunk)) socket.pause();
  });
  socket.on('end', () => relay.push(null));
  // The socket's own failure (refused, the meter's limit) is the one reported.
  socket.on('error', (err) => relay.destroy(err));
  socket.on('close', () => relay.destroy());
  return connectTls({
    socket: relay,
    rejectUnauthorized: false,
    ...(isIP(host) === 0 ? { servername: host } : {}),
  });
}

/** A TLS handshake that failed on the server's side (it spoke no TLS, or broken TLS): content. */
export function tlsFailure(err: unknown, what: string): CheckResult | undefined {
  const code = (err as { code?: string }).code ?? '';
  if (code.startsWith('ERR_SSL_') || code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return down('content', `${what}: TLS handshake failed (${code})`);
  }
  return undefined;
}
