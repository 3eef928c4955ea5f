import { connect, type Socket } from 'node:net';
import { withTimeout } from './check.js';

/**
 * A text protocol conversation over TCP (SMTP, FTP, POP3, IMAP): send a line, read the lines of
 * the answer until `done` says it is complete. Every read is bounded by the check's deadline.
 */
export class LineClient {
  private buffer = '';
  private readonly lines: string[] = [];
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly deadline: number,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, i).replace(/\r$/, ''));
        this.buffer = this.buffer.slice(i + 1);
      }
      this.waiter?.();
    });
    const fail = (err: Error) => {
      this.failure = err;
      this.waiter?.();
    };
    socket.on('error', fail);
    socket.on('close', () =>
      fail(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' })),
    );
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
      while (this.lines.length > 0) {
        got.push(this.lines.shift()!);
        if (complete(got)) return got;
      }
      if (this.failure !== undefined) throw this.failure;
      await withTimeout(
        new Promise<void>((resolve) => (this.waiter = resolve)),
        Math.max(1, this.deadline - Date.now()),
      );
      this.waiter = undefined;
    }
  }

  send(line: string): void {
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
