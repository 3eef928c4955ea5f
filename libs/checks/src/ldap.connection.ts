import { connect, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { down, type CheckResult } from './check.js';
import { LimitExceededError, MAX_CONVERSATION_BYTES } from './limits.js';
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
    const socket = tls
      ? connectTls({
          host,
          port,
          rejectUnauthorized: false,
          ...(isIP(host) === 0 ? { servername: host } : {}),
        })
      : connect({ host, port });
    return new BerConnection(socket.setNoDelay(true), tls ? 'secureConnect' : 'connect');
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

/** A TLS handshake that failed on the server's side (it spoke no TLS, or broken TLS): content. */
export function tlsFailure(err: unknown, what: string): CheckResult | undefined {
  const code = (err as { code?: string }).code ?? '';
  if (code.startsWith('ERR_SSL_') || code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return down('content', `${what}: TLS handshake failed (${code})`);
  }
  return undefined;
}
