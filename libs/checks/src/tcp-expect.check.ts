import { down, fromNetworkError, up, type Check } from './check.js';
import { ByteClient } from './byte-client.js';
import { LimitExceededError, MAX_CONVERSATION_BYTES } from './limits.js';

const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['r', '\r'],
  ['n', '\n'],
  ['t', '\t'],
  ['\\', '\\'],
]);

/** `\r`, `\n`, `\t` and `\\` as the characters they name; any other backslash stays as it is. */
export function decodeEscapes(text: string): string {
  return text.replace(/\\([rnt\\])/g, (_, ch: string) => ESCAPES.get(ch) ?? ch);
}

/**
 * Generic TCP send/expect: connects, sends `info` (escapes decoded) when set, and reads until
 * `expect` (escapes decoded) appears; up when it does, or at once when nothing is expected.
 * Reads at most MAX_CONVERSATION_BYTES, within the time limit.
 */
export const tcpExpectCheck: Check = async (t, { timeoutMs }) => {
  const what = `tcp-expect ${t.host}:${t.port}`;
  if (t.port === 0) return down('other', `tcp-expect ${t.host}: no port set (it has no default)`);
  const send = decodeEscapes(t.info);
  const expected = Buffer.from(decodeEscapes(t.expect), 'utf8');
  let c: ByteClient | undefined;
  try {
    c = await ByteClient.open(t.host, t.port, timeoutMs);
    if (send !== '') c.write(send);
    if (expected.length === 0) return up(`${what}: connected`);
    const answer = await c.readUntil(expected, MAX_CONVERSATION_BYTES, 'unreachable');
    return up(`${what}: answered the expected text`, Buffer.concat([answer, expected]));
  } catch (err) {
    const detail = `expected: ${t.expect}`;
    if (err instanceof LimitExceededError) {
      const first = `in its first ${MAX_CONVERSATION_BYTES} bytes`;
      return down('content', `${what}: no expected text ${first}`, detail);
    }
    // A server that answered, but not the expected text, is up and wrong: content.
    const code = (err as { code?: string }).code;
    if (c !== undefined && c.received > 0) {
      const after = `after ${c.received} bytes`;
      if (code === 'ECONNRESET') {
        return down(
          'content',
          `${what}: closed the connection ${after} without the expected text`,
          detail,
        );
      }
      if (code === 'CHECK_TIMEOUT') {
        return down('content', `${what}: no expected text ${after} (timed out)`, detail);
      }
    }
    return fromNetworkError(err, what);
  } finally {
    c?.close();
  }
};
