import { down, fromNetworkError, up, type Check, type CheckResult } from './check.js';
import { codeReply, LineClient, oneLine, replyCode } from './line-client.js';
import { DEFAULT_PORTS } from './default-ports.js';

async function converse(
  host: string,
  port: number,
  timeoutMs: number,
  what: string,
  talk: (c: LineClient) => Promise<CheckResult>,
): Promise<CheckResult> {
  let client: LineClient | undefined;
  try {
    client = await LineClient.open(host, port, timeoutMs);
    return await talk(client);
  } catch (err) {
    return fromNetworkError(err, what);
  } finally {
    client?.close();
  }
}

/** Banner 220, EHLO 250; with a username, AUTH PLAIN must answer 235. */
export const smtpCheck: Check = (t, { timeoutMs }) =>
  converse(t.host, t.port || DEFAULT_PORTS.smtp, timeoutMs, `smtp ${t.host}`, async (c) => {
    const banner = await c.read(codeReply);
    if (replyCode(banner) !== 220) return down('content', `smtp banner: ${banner.at(-1)}`);
    const ehlo = await c.ask('EHLO checkwire.local', codeReply);
    if (replyCode(ehlo) !== 250) return down('content', `EHLO: ${ehlo.at(-1)}`);
    if (t.username !== '') {
      const plain = Buffer.from(`\0${t.username}\0${t.password}`).toString('base64');
      const auth = await c.ask(`AUTH PLAIN ${plain}`, codeReply);
      if (replyCode(auth) !== 235) return down('credentials', `AUTH PLAIN: ${auth.at(-1)}`);
    }
    c.send('QUIT');
    return up(`smtp ${banner.at(-1)}`);
  });

/** Banner 220, USER, PASS → 230. */
export const ftpCheck: Check = (t, { timeoutMs }) =>
  converse(t.host, t.port || DEFAULT_PORTS.ftp, timeoutMs, `ftp ${t.host}`, async (c) => {
    const banner = await c.read(codeReply);
    if (replyCode(banner) !== 220) return down('content', `ftp banner: ${banner.at(-1)}`);
    const user = await c.ask(`USER ${t.username || 'anonymous'}`, codeReply);
    let code = replyCode(user);
    if (code === 331) code = replyCode(await c.ask(`PASS ${t.password}`, codeReply));
    if (code !== 230) return down('credentials', `ftp login refused (${code})`);
    c.send('QUIT');
    return up('ftp login accepted');
  });

/** +OK banner, USER, PASS → +OK. */
export const pop3Check: Check = (t, { timeoutMs }) =>
  converse(t.host, t.port || DEFAULT_PORTS.pop3, timeoutMs, `pop3 ${t.host}`, async (c) => {
    const [banner] = await c.read(oneLine);
    if (!banner!.startsWith('+OK')) return down('content', `pop3 banner: ${banner}`);
    const [user] = await c.ask(`USER ${t.username}`, oneLine);
    const [pass] = user!.startsWith('+OK') ? await c.ask(`PASS ${t.password}`, oneLine) : [user];
    if (!pass!.startsWith('+OK')) return down('credentials', `pop3 login refused: ${pass}`);
    c.send('QUIT');
    return up('pop3 login accepted');
  });

const quoted = (s: string) => `"${s.replace(/["\\]/g, (ch) => `\\${ch}`)}"`;

/** * OK banner, LOGIN → tagged OK. */
export const imapCheck: Check = (t, { timeoutMs }) =>
  converse(t.host, t.port || DEFAULT_PORTS.imap, timeoutMs, `imap ${t.host}`, async (c) => {
    const [banner] = await c.read(oneLine);
    if (!banner!.startsWith('* OK')) return down('content', `imap banner: ${banner}`);
    const reply = await c.ask(`a1 LOGIN ${quoted(t.username)} ${quoted(t.password)}`, (lines) =>
      (lines.at(-1) ?? '').startsWith('a1 '),
    );
    if (!reply.at(-1)!.startsWith('a1 OK'))
      return down('credentials', `imap login refused: ${reply.at(-1)}`);
    c.send('a2 LOGOUT');
    return up('imap login accepted');
  });
