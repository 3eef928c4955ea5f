import {
  LimitExceededError,
  MAX_CONVERSATION_BYTES,
  MAX_LINE_BYTES,
  MAX_REPLY_LINES,
} from './limits.js';

export interface LineLimits {
  /** Bytes in one line, without its CRLF (or LF). */
  maxLineBytes: number;
  /** Lines in one reply: since the consumer last called `endReply()`. */
  maxReplyLines: number;
  /** Bytes received in all. */
  maxConversationBytes: number;
}

export const LINE_LIMITS: Readonly<LineLimits> = Object.freeze({
  maxLineBytes: MAX_LINE_BYTES,
  maxReplyLines: MAX_REPLY_LINES,
  maxConversationBytes: MAX_CONVERSATION_BYTES,
});

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits the bytes a server sends into lines (CRLF or bare LF), each decoded as UTF-8 once it is
 * whole (a character split across chunks stays whole). Linear and bounded: each byte is scanned
 * once, an unfinished line is kept in one fixed buffer, complete lines wait in a queue read by
 * index. `push` throws LimitExceededError past any limit; the caller then hangs up.
 */
export class LineReader {
  private readonly partial: Buffer;
  private partialLength = 0;
  private queue: string[] = [];
  private head = 0;
  private replyLines = 0;
  private receivedBytes = 0;

  constructor(private readonly limits: Readonly<LineLimits> = LINE_LIMITS) {
    // Room for a line of the maximum length and its CR, until the LF arrives.
    this.partial = Buffer.alloc(limits.maxLineBytes + 1);
  }

  /** Bytes received so far. */
  get received(): number {
    return this.receivedBytes;
  }

  push(chunk: Buffer): void {
    this.receivedBytes += chunk.length;
    if (this.receivedBytes > this.limits.maxConversationBytes) {
      throw new LimitExceededError(
        `more than ${this.limits.maxConversationBytes} bytes in one conversation`,
      );
    }
    let start = 0;
    for (let end = chunk.indexOf(LF); end >= 0; end = chunk.indexOf(LF, start)) {
      if (this.partialLength === 0) {
        this.complete(chunk.subarray(start, end));
      } else {
        this.keep(chunk.subarray(start, end));
        this.complete(this.partial.subarray(0, this.partialLength));
        this.partialLength = 0;
      }
      start = end + 1;
    }
    this.keep(chunk.subarray(start));
  }

  /** The next complete line, if one has arrived. */
  next(): string | undefined {
    if (this.head === this.queue.length) return undefined;
    return this.queue[this.head++];
  }

  /** The lines taken so far made one reply: the lines that follow count toward the next one. */
  endReply(): void {
    this.queue = this.queue.slice(this.head);
    this.head = 0;
    this.replyLines = this.queue.length;
  }

  /** Appends part of an unfinished line. */
  private keep(bytes: Buffer): void {
    if (this.partialLength + bytes.length > this.partial.length) this.tooLong();
    bytes.copy(this.partial, this.partialLength);
    this.partialLength += bytes.length;
  }

  /** Queues a line (its bytes without the LF). */
  private complete(bytes: Buffer): void {
    const line = bytes.at(-1) === CR ? bytes.subarray(0, -1) : bytes;
    if (line.length > this.limits.maxLineBytes) this.tooLong();
    if (++this.replyLines > this.limits.maxReplyLines) {
      throw new LimitExceededError(`more than ${this.limits.maxReplyLines} lines in one reply`);
    }
    this.queue.push(line.toString('utf8'));
  }

  private tooLong(): never {
    throw new LimitExceededError(`line longer than ${this.limits.maxLineBytes} bytes`);
  }
}
