import { randomBytes } from 'node:crypto';
import { down, fromNetworkError, up, type Check, type CheckResult } from './check.js';
import { LineClient, oneLine } from './line-client.js';
import { MAX_REPLY_LINES } from './limits.js';
import { serverText } from './server-reply.js';
import { DEFAULT_PORTS } from './default-ports.js';

/** `:prefix COMMAND params…` → the command (a word or a three-digit numeric). */
function commandOf(line: string): { command: string; rest: string } {
  const unprefixed = line.startsWith(':') ? line.slice(line.indexOf(' ') + 1) : line;
  const space = unprefixed.indexOf(' ');
  return space < 0
    ? { command: unprefixed.toUpperCase(), rest: '' }
    : { command: unprefixed.slice(0, space).toUpperCase(), rest: unprefixed.slice(space + 1) };
}

/** Numerics that refuse a registration for its password (RFC 2812 464; 465 banned). */
const REFUSED_LOGIN = new Set(['464', '465']);
/** The end of the welcome burst: end of MOTD, or no MOTD. */
const BURST_END = new Set(['376', '422']);

/**
 * IRC (RFC 2812): PASS when a password is set, NICK (a random one) and USER (the username, or
 * "checkwire"); up at 001 (welcome). PINGs are answered. When `expect` is set it must appear in
 * what the server sends up to the end of its MOTD. 464/465, and an ERROR about the password
 * before the welcome, are "credentials".
 */
export const ircCheck: Check = async (t, { timeoutMs }) => {
  const what = `irc ${t.host}`;
  const quote = (line: string) => serverText(line, [t.password]);
  let c: LineClient | undefined;
  try {
    c = await LineClient.open(t.host, t.port || DEFAULT_PORTS.irc, timeoutMs);
    // A password with a space (or a leading colon) goes as the trailing parameter.
    if (t.password !== '') c.send(`PASS ${/^:| /.test(t.password) ? ':' : ''}${t.password}`);
    c.send(`NICK cw${randomBytes(3).toString('hex')}`);
    c.send(`USER ${/^[^\s@]+$/.test(t.username) ? t.username : 'checkwire'} 0 * :Checkwire`);
    const result = await register(c, t.expect, quote, what);
    c.send('QUIT :checkwire');
    return result;
  } catch (err) {
    return fromNetworkError(err, what);
  } finally {
    c?.close();
  }
};

async function register(
  c: LineClient,
  expected: string,
  quote: (line: string) => string,
  what: string,
): Promise<CheckResult> {
  let welcomed = false;
  let found = expected === '';
  for (let n = 0; n < MAX_REPLY_LINES; n++) {
    const [line] = await c.read(oneLine);
    const { command, rest } = commandOf(line!);
    if (command === 'PING') {
      // A token with a line break or NUL cannot be echoed on one line: the server's fault.
      if (/[\r\n\0]/.test(rest)) return down('content', `${what}: ${quote(line!)}: malformed PING`);
      c.send(`PONG ${rest}`);
      continue;
    }
    if (REFUSED_LOGIN.has(command)) return down('credentials', `${what}: ${quote(line!)}`);
    if (command === 'ERROR') {
      // ngIRCd refuses a bad PASS with only `ERROR :Access denied: Bad password?`.
      const login = !welcomed && /pass|denied|auth/i.test(rest);
      return down(login ? 'credentials' : 'content', `${what}: ${quote(line!)}`);
    }
    if (command === '001') welcomed = true;
    else if (!welcomed && /^[45]\d\d$/.test(command))
      return down('content', `${what}: ${quote(line!)}`);
    if (welcomed && !found) found = line!.includes(expected);
    if (welcomed && found) return up(`${what}: welcome`);
    if (welcomed && BURST_END.has(command)) {
      return down(
        'content',
        `${what}: no expected text up to the end of the MOTD`,
        `expected: ${expected}`,
      );
    }
  }
  return down('content', `${what}: more than ${MAX_REPLY_LINES} lines in the registration`);
}
