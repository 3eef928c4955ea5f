import { connect, type Socket } from 'node:net';
import { withTimeout } from './check.js';
import { LineReader } from './line-reader.js';

/**
 * A text protocol conversation over TCP (SMTP, FTP, POP3, IMAP): send a line, read the lines of
 * the answer until `complete` says it is whole. Every read is bounded by the check's deadline,
 * and what the server sends by the LineReader's limits: past one, the socket is destroyed at once
 * and the read fails with a LimitExceededError.
 */
export class LineClient {
  private readonly reader = new LineReader();
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly deadline: number,
  ) {
    socket.on('data', (chunk: Buffer) => {
      try {
        this.reader.push(chunk);
      } catch (err) {
        socket.destroy();
        this.fail(err as Error);
      }
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

  /** Bytes received so far (bounded by the LineReader's limits). */
  get received(): number {
    return this.reader.received;
  }

  static async open(host: string, port: number, timeoutMs: number): Promise<LineClient> {
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
    return new LineClient(socket, deadline);
  }

  /** Reads lines until `complete(lines)` is true; returns them. */
  async read(complete: (lines: string[]) => boolean): Promise<string[]> {
    const got: string[] = [];
    for (;;) {
      for (let line = this.reader.next(); line !== undefined; line = this.reader.next()) {
        got.push(line);
        if (complete(got)) {
          this.reader.endReply();
          return got;
        }
      }
      if (this.failure !== undefined) throw this.failure;
      await withTimeout(
        new Promise<void>((resolve) => (this.waiter = resolve)),
        Math.max(1, this.deadline - Date.now()),
      );
      this.waiter = undefined;
    }
  }

  /**
   * Sends one line. A line break inside it (from a password or user name) would end the command
   * early and send the rest as commands of their own: such a line is never sent.
   */
  send(line: string): void {
    if (/[\r\n\0]/.test(line)) {
      throw Object.assign(new Error('a command would hold a line break'), { code: 'ELINEBREAK' });
    }
    this.socket.write(`${line}\r\n`);
  }

  async ask(line: string, complete: (lines: string[]) => boolean): Promise<string[]> {
    this.send(line);
    return this.read(complete);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** SMTP/FTP replies: done at a line "NNN " (a space after the code, not a dash). */
export const codeReply = (lines: string[]) => /^\d{3}( |$)/.test(lines.at(-1) ?? '');
export const replyCode = (lines: string[]) => Number((lines.at(-1) ?? '').slice(0, 3));
/** POP3: one line, +OK or -ERR. */
export const oneLine = (lines: string[]) => lines.length > 0;
