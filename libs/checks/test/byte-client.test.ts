import { createServer, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ByteClient } from '../src/byte-client.js';
import { LimitExceededError, MAX_CONVERSATION_BYTES, MAX_LINE_BYTES } from '../src/index.js';
import { READ_CHUNK_BYTES, startFloodServer, writtenBound } from './flood-server.js';
import { listen, portOf } from './helpers.js';

// The bounded byte reader under the binary checks: markers split across reads, a buffer that
// grows and moves what is unread to its front, and its limits.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

/** A server; its side of the first connection, to write to by hand. */
async function serverSide(): Promise<{ port: number; socket: Promise<Socket> }> {
  let accepted: (s: Socket) => void = () => undefined;
  const socket = new Promise<Socket>((r) => (accepted = r));
  const s = await listen(createServer((c) => accepted(c)));
  closers.push(() => new Promise((r) => s.close(r)));
  closers.push(async () => (await socket).destroy());
  return { port: portOf(s), socket };
}

/** Writes a piece and waits until the client has received it: each piece is its own read. */
async function deliver(server: Socket, client: ByteClient, piece: string): Promise<void> {
  const expected = client.received + Buffer.byteLength(piece);
  server.write(piece);
  while (client.received < expected) await new Promise((r) => setImmediate(r));
}

describe('ByteClient', () => {
  it('finds a marker split across reads, and reads on after it', async () => {
    const { port, socket } = await serverSide();
    const c = await ByteClient.open('127.0.0.1', port, 5000);
    try {
      const server = await socket;
      const line = c.readLine();
      for (const piece of ['+PO', 'NG\r', '\n$3\r\nab']) await deliver(server, c, piece);
      expect(await line).toBe('+PONG');
      expect(await c.readLine()).toBe('$3');
      const value = c.readExactly(5);
      await deliver(server, c, 'c\r\n');
      expect((await value).toString()).toBe('abc\r\n');
    } finally {
      c.close();
    }
  });

  it('grows its buffer and moves unread bytes to the front, keeping every byte', async () => {
    const block = (n: number) => Buffer.alloc(10_000, 0x61 + (n % 26));
    const pieces = [...Array<null>(30)].map((_, i) => block(i));
    const { port, socket } = await serverSide();
    const c = await ByteClient.open('127.0.0.1', port, 5000);
    try {
      (await socket).write(Buffer.concat([...pieces, Buffer.from('END')]));
      const first = await c.readExactly(5000);
      expect(first.equals(Buffer.alloc(5000, 0x61))).toBe(true);
      const rest = await c.readUntil(Buffer.from('END'), MAX_CONVERSATION_BYTES, 'too long');
      expect(rest.length).toBe(295_000);
      expect(Buffer.concat([first, rest]).equals(Buffer.concat(pieces))).toBe(true);
    } finally {
      c.close();
    }
  });

  it('fails a line past MAX_LINE_BYTES, and a conversation past MAX_CONVERSATION_BYTES', async () => {
    const longLine = await startFloodServer({ flood: 'x' });
    closers.push(() => longLine.close());
    const c1 = await ByteClient.open('127.0.0.1', longLine.port, 10_000);
    await expect(c1.readLine()).rejects.toThrow(
      new LimitExceededError(`line longer than ${MAX_LINE_BYTES} bytes`),
    );
    expect(c1.received).toBeLessThanOrEqual(MAX_LINE_BYTES + 2 + READ_CHUNK_BYTES);
    expect(await longLine.hungUp).toBeLessThanOrEqual(writtenBound(MAX_LINE_BYTES + 2));

    const endless = await startFloodServer({ flood: 'y'.repeat(1024) });
    closers.push(() => endless.close());
    const c2 = await ByteClient.open('127.0.0.1', endless.port, 10_000);
    await expect(c2.readUntil(Buffer.from('z'), MAX_CONVERSATION_BYTES * 2, 'x')).rejects.toThrow(
      new LimitExceededError(`more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`),
    );
    expect(c2.received).toBeLessThanOrEqual(MAX_CONVERSATION_BYTES + READ_CHUNK_BYTES);
    expect(await endless.hungUp).toBeLessThanOrEqual(writtenBound(MAX_CONVERSATION_BYTES + 1));
  });
});
