import { describe, expect, it } from 'vitest';
import {
  LimitExceededError,
  MAX_CONVERSATION_BYTES,
  MAX_LINE_BYTES,
  MAX_REPLY_LINES,
} from './limits.js';
import { LINE_LIMITS, LineReader } from './line-reader.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');

/** Every complete line the reader holds. */
function drain(reader: LineReader): string[] {
  const lines: string[] = [];
  for (let line = reader.next(); line !== undefined; line = reader.next()) lines.push(line);
  return lines;
}

describe('LineReader', () => {
  it('has the documented limits by default', () => {
    expect(LINE_LIMITS).toEqual({
      maxLineBytes: MAX_LINE_BYTES,
      maxReplyLines: MAX_REPLY_LINES,
      maxConversationBytes: MAX_CONVERSATION_BYTES,
    });
  });

  it('splits CRLF and bare LF lines, keeping an unfinished line until its end arrives', () => {
    const reader = new LineReader();
    reader.push(bytes('220-one\r\n220-two\n220 thr'));
    expect(drain(reader)).toEqual(['220-one', '220-two']);
    reader.push(bytes('ee\r'));
    expect(drain(reader)).toEqual([]);
    reader.push(bytes('\n\r\n'));
    expect(drain(reader)).toEqual(['220 three', '']);
  });

  it('joins a line split across many chunks', () => {
    const reader = new LineReader();
    for (const ch of '* OK ready\r\n') reader.push(bytes(ch));
    expect(drain(reader)).toEqual(['* OK ready']);
    expect(reader.received).toBe(12);
  });

  it('decodes a UTF-8 character split across chunks whole', () => {
    const reader = new LineReader();
    const line = bytes('220 café ☕\r\n');
    const cut = line.indexOf(0xe2) + 1; // inside the three bytes of ☕
    reader.push(line.subarray(0, cut));
    reader.push(line.subarray(cut));
    expect(drain(reader)).toEqual(['220 café ☕']);
  });

  it('decodes invalid UTF-8 as replacement characters rather than failing', () => {
    const reader = new LineReader();
    reader.push(Buffer.from([0x32, 0x32, 0x30, 0x20, 0xff, 0x0a]));
    expect(drain(reader)).toEqual(['220 \ufffd']);
  });

  it('takes a line of the maximum length (with its CR), and refuses one byte more', () => {
    const limits = { maxLineBytes: 8, maxReplyLines: 10, maxConversationBytes: 1000 };
    const reader = new LineReader(limits);
    reader.push(bytes('12345678\r'));
    reader.push(bytes('\n'));
    expect(drain(reader)).toEqual(['12345678']);
    expect(() => new LineReader(limits).push(bytes('123456789\n'))).toThrow(
      new LimitExceededError('line longer than 8 bytes'),
    );
  });

  it('refuses a line that never ends, holding no more than the limit', () => {
    const reader = new LineReader();
    reader.push(Buffer.alloc(MAX_LINE_BYTES, 'x'));
    expect(() => reader.push(bytes('xx'))).toThrow(
      new LimitExceededError(`line longer than ${MAX_LINE_BYTES} bytes`),
    );
    expect(() => new LineReader().push(Buffer.alloc(64 * 1024, 'x'))).toThrow(LimitExceededError);
  });

  it('refuses too many lines in one reply, counting from the end of the last one', () => {
    const limits = { maxLineBytes: 100, maxReplyLines: 3, maxConversationBytes: 1000 };
    const reader = new LineReader(limits);
    reader.push(bytes('+OK hello\r\n+OK user\r\n'));
    expect(reader.next()).toBe('+OK hello');
    reader.endReply(); // a one-line reply; "+OK user" already counts toward the next one
    reader.push(bytes('-ERR a\r\n-ERR b\r\n'));
    expect(drain(reader)).toEqual(['+OK user', '-ERR a', '-ERR b']);
    expect(() => reader.push(bytes('\r\n'))).toThrow(
      new LimitExceededError('more than 3 lines in one reply'),
    );
    // An endless stream of CRLF: refused within the first chunk.
    expect(() => new LineReader().push(Buffer.from('\r\n'.repeat(MAX_REPLY_LINES + 1)))).toThrow(
      new LimitExceededError(`more than ${MAX_REPLY_LINES} lines in one reply`),
    );
  });

  it('refuses more bytes in all than the conversation allows', () => {
    const limits = { maxLineBytes: 100, maxReplyLines: 100, maxConversationBytes: 20 };
    const reader = new LineReader(limits);
    reader.push(bytes('250-0123456789\r\n'));
    drain(reader);
    reader.endReply();
    expect(() => reader.push(bytes('250 ok\r\n'))).toThrow(
      new LimitExceededError('more than 20 bytes in one conversation'),
    );
  });
});
