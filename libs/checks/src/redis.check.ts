import { down, fromNetworkError, up, type Check } from './check.js';
import { ByteClient } from './byte-client.js';
import { MAX_CONVERSATION_BYTES } from './limits.js';
import { MalformedReplyError, serverText } from './server-reply.js';
import { DEFAULT_PORTS } from './default-ports.js';

type Reply =
  | { type: 'status' | 'error'; text: string }
  | { type: 'integer'; value: number }
  | { type: 'bulk'; value: Buffer | null };

/** A command as RESP: an array of bulk strings (binary-safe: a password may hold any byte). */
export function respCommand(...args: string[]): Buffer {
  const parts = args.map((a) => {
    const bytes = Buffer.from(a, 'utf8');
    return Buffer.concat([Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n')]);
  });
  return Buffer.concat([Buffer.from(`*${args.length}\r\n`), ...parts]);
}

/**
 * One RESP2 reply to a command that answers a status, an error, an integer or a bulk string;
 * `secrets` are masked in what a malformed reply quotes (a server may echo the password).
 */
async function readReply(c: ByteClient, secrets: readonly string[]): Promise<Reply> {
  const line = await c.readLine();
  const rest = line.slice(1);
  switch (line[0]) {
    case '+':
      return { type: 'status', text: rest };
    case '-':
      return { type: 'error', text: rest };
    case ':':
      return { type: 'integer', value: Number(rest) };
    case '$': {
      if (!/^(-1|\d{1,10})$/.test(rest)) throw new MalformedReplyError('bad bulk string length');
      const length = Number(rest);
      if (length === -1) return { type: 'bulk', value: null };
      if (length > MAX_CONVERSATION_BYTES) {
        throw new MalformedReplyError(
          `bulk string of ${length} bytes (more than ${MAX_CONVERSATION_BYTES})`,
        );
      }
      const value = await c.readExactly(length + 2);
      if (value.subarray(-2).toString() !== '\r\n') {
        throw new MalformedReplyError('bulk string without its CRLF');
      }
      return { type: 'bulk', value: value.subarray(0, -2) };
    }
    default:
      throw new MalformedReplyError(`not a RESP reply: ${serverText(line, secrets)}`);
  }
}

/**
 * Redis: AUTH when a password is set (`AUTH username password` for an ACL user, `AUTH password`
 * alone otherwise), PING → PONG; when `info` names a key, GET it and require `expect` in its value.
 */
export const redisCheck: Check = async (t, { timeoutMs }) => {
  const what = `redis ${t.host}`;
  const secrets = [t.password];
  let c: ByteClient | undefined;
  try {
    c = await ByteClient.open(t.host, t.port || DEFAULT_PORTS.redis, timeoutMs);
    if (t.password !== '') {
      const args = t.username === '' ? [t.password] : [t.username, t.password];
      c.write(respCommand('AUTH', ...args));
      const auth = await readReply(c, secrets);
      if (auth.type === 'error') {
        return down('credentials', `${what}: AUTH refused: ${serverText(auth.text, secrets)}`);
      }
    }
    c.write(respCommand('PING'));
    const ping = await readReply(c, secrets);
    if (ping.type === 'error') {
      const kind = /^(NOAUTH|WRONGPASS|NOPERM)/.test(ping.text) ? 'credentials' : 'content';
      return down(kind, `${what}: PING refused: ${serverText(ping.text, secrets)}`);
    }
    if (ping.type !== 'status' || ping.text !== 'PONG') {
      return down('content', `${what}: PING answered ${ping.type}, not PONG`);
    }
    if (t.info === '') return up(`${what}: PONG`);

    c.write(respCommand('GET', t.info));
    const got = await readReply(c, secrets);
    if (got.type === 'error') {
      const kind = /^(NOAUTH|NOPERM)/.test(got.text) ? 'credentials' : 'content';
      return down(kind, `${what}: GET ${t.info} refused: ${serverText(got.text, secrets)}`);
    }
    if (got.type !== 'bulk') return down('content', `${what}: GET ${t.info} answered ${got.type}`);
    if (got.value === null) return down('content', `${what}: key ${t.info} does not exist`);
    if (t.expect !== '' && !got.value.includes(t.expect)) {
      return down(
        'content',
        `${what}: key ${t.info} does not hold the expected text`,
        `expected: ${t.expect}`,
      );
    }
    return up(
      `${what}: key ${t.info} holds ${t.expect === '' ? 'a value' : 'the expected text'}`,
      got.value,
    );
  } catch (err) {
    return fromNetworkError(err, what);
  } finally {
    c?.close();
  }
};
