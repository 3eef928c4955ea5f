import { connect, type Socket } from 'node:net';
import { withTimeout } from './check.js';
import { LimitExceededError, MAX_CONVERSATION_BYTES, MAX_LINE_BYTES } from './limits.js';

const CRLF = Buffer.from('\r\n');

/**
 * A binary protocol conversation over TCP (Redis, MQTT, VNC, a generic send/expect): write bytes,
 * read lines, exact lengths or up to a marker. Every read is bounded by the check's deadline, and
 * all the server sends by `maxBytes` (MAX_CONVERSATION_BYTES): past it the socket is destroyed at
 * once and the read fails with a LimitExceededError. Received bytes wait in one buffer that grows
 * by doubling, and each search scans only the bytes it has not scanned before (linear in what
 * arrives, however the server splits it).
 */
export class ByteClient {
  private buffer = Buffer.alloc(4096);
  private start = 0;
  private end = 0;
  private receivedBytes = 0;
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly deadline: number,
    private readonly maxBytes: number,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.receivedBytes += chunk.length;
      if (this.receivedBytes > maxBytes) {
        socket.destroy();
        this.fail(new LimitExceededError(`more than ${maxBytes} bytes in one conversation`));
        return;
      }
      this.append(chunk);
      this.waiter?.();
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () =>
      this.fail(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' })),
    );
  }

  /** The first failure is the one reported (a destroyed socket then also closes). */
  private fail(err: Error): void {
    this.failure ??= err;
    this.waiter?.();
  }

  static async open(
    host: string,
    port: number,
    timeoutMs: number,
    maxBytes: number = MAX_CONVERSATION_BYTES,
  ): Promise<ByteClient> {
    const deadline = Date.now() + timeoutMs;
    const socket = connect({ host, port });
    try {
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('error', reject);
        }),
        timeoutMs,
      );
    } catch (err) {
      socket.destroy();
      throw err;
    }
    return new ByteClient(socket.setNoDelay(true), deadline, maxBytes);
  }

  /** Bytes received so far. */
  get received(): number {
    return this.receivedBytes;
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** Exactly `n` bytes. */
  async readExactly(n: number): Promise<Buffer> {
    if (n > this.maxBytes) {
      throw new LimitExceededError(`more than ${this.maxBytes} bytes in one conversation`);
    }
    while (this.end - this.start < n) await this.more();
    return this.take(n, 0);
  }

  /** Bytes up to `marker` (returned without it, the marker consumed); at most `maxBytes` before. */
  async readUntil(marker: Buffer, maxBytes: number, tooLong: string): Promise<Buffer> {
    let scanned = this.start;
    for (;;) {
      const at = this.buffer.subarray(0, this.end).indexOf(marker, scanned);
      if (at >= 0 && at - this.start <= maxBytes) return this.take(at - this.start, marker.length);
      if (at >= 0 || this.end - this.start > maxBytes + marker.length) {
        this.socket.destroy();
        throw new LimitExceededError(tooLong);
      }
      // The marker may straddle what has arrived and what comes next.
      scanned = Math.max(this.start, this.end - marker.length + 1);
      const before = this.start;
      await this.more();
      scanned += this.start - before;
    }
  }

  /** One CRLF-terminated line, decoded as UTF-8 (at most MAX_LINE_BYTES). */
  async readLine(): Promise<string> {
    const line = await this.readUntil(
      CRLF,
      MAX_LINE_BYTES,
      `line longer than ${MAX_LINE_BYTES} bytes`,
    );
    return line.toString('utf8');
  }

  close(): void {
    this.socket.destroy();
  }

  private take(n: number, skip: number): Buffer {
    const out = Buffer.from(this.buffer.subarray(this.start, this.start + n));
    this.start += n + skip;
    return out;
  }

  /** Appends a chunk, moving what is unread to the front or doubling the buffer when full. */
  private append(chunk: Buffer): void {
    const unread = this.end - this.start;
    if (this.end + chunk.length > this.buffer.length) {
      let size = this.buffer.length;
      while (size < unread + chunk.length) size *= 2;
      const next = size === this.buffer.length ? this.buffer : Buffer.alloc(size);
      this.buffer.copy(next, 0, this.start, this.end);
      this.buffer = next;
      this.start = 0;
      this.end = unread;
    }
    chunk.copy(this.buffer, this.end);
    this.end += chunk.length;
  }

  /** Waits for more bytes (or fails: the server hung up, a limit, the deadline). */
  private async more(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const before = this.receivedBytes;
    await withTimeout(
      new Promise<void>((resolve) => (this.waiter = resolve)),
      Math.max(1, this.deadline - Date.now()),
    );
    this.waiter = undefined;
    const failure = this.failure as Error | undefined;
    if (this.receivedBytes === before && failure !== undefined) throw failure;
  }
}
