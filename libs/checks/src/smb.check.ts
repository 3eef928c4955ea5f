import {
  down,
  fromNetworkError,
  withTimeout,
  type Check,
  type CheckResult,
  type FailureKind,
} from './check.js';
import { DEFAULT_PORTS } from './default-ports.js';
import { LimitExceededError } from './limits.js';
import { serverText } from './server-reply.js';
import { matchContent } from './sftp.match.js';
import { SMBCLIENT_BINARY, smbclient, type SmbLogin, type SmbRun } from './smb.client.js';

/**
 * A share or path smbclient's `-c` takes as one quoted argument: no quote, no `;` (which ends a
 * command there, even between quotes), no control characters.
 */
const safe = (text: string) =>
  !/[";]/.test(text) && Array.from(text).every((ch) => ch >= ' ' && ch !== '\x7f');

/** NT status codes by the kind of failure they are; all others are content. */
const STATUS_KINDS = new Map<string, FailureKind>([
  ['NT_STATUS_LOGON_FAILURE', 'credentials'],
  ['NT_STATUS_WRONG_PASSWORD', 'credentials'],
  ['NT_STATUS_NO_SUCH_USER', 'credentials'],
  ['NT_STATUS_ACCOUNT_DISABLED', 'credentials'],
  ['NT_STATUS_ACCOUNT_LOCKED_OUT', 'credentials'],
  ['NT_STATUS_ACCOUNT_RESTRICTION', 'credentials'],
  ['NT_STATUS_PASSWORD_EXPIRED', 'credentials'],
  ['NT_STATUS_PASSWORD_MUST_CHANGE', 'credentials'],
  ['NT_STATUS_INVALID_LOGON_HOURS', 'credentials'],
  ['NT_STATUS_CONNECTION_REFUSED', 'connection'],
  ['NT_STATUS_CONNECTION_RESET', 'connection'],
  ['NT_STATUS_CONNECTION_DISCONNECTED', 'connection'],
  ['NT_STATUS_HOST_UNREACHABLE', 'connection'],
  ['NT_STATUS_NETWORK_UNREACHABLE', 'connection'],
  ['NT_STATUS_IO_TIMEOUT', 'timeout'],
]);

/**
 * What smbclient said about a failed run: its messages go to stderr, some (protocol negotiation,
 * a `get` to stdout) to stdout, which is read for them only when short (never a file's content).
 */
function said(r: SmbRun): string {
  return `${r.stderr}\n${r.stdout.length <= 4096 ? r.stdout.toString('utf8') : ''}`;
}

/** A failed run as a result, by the first NT status smbclient printed. */
function failure(r: SmbRun, what: string, secrets: string[]): CheckResult {
  const text = said(r);
  const status = /NT_STATUS_[A-Z_]+/.exec(text)?.[0];
  if (status === undefined) {
    const line = text.trim().split('\n')[0] ?? '';
    return down(
      'other',
      `${what}: smbclient failed (exit ${r.code}): ${serverText(line, secrets)}`,
    );
  }
  // Refused at login or at the share: the user may not (not the share's content).
  const atLogin = new RegExp(`(session setup|tree connect) failed: ${status}`).test(text);
  const kind =
    STATUS_KINDS.get(status) ??
    (atLogin && status === 'NT_STATUS_ACCESS_DENIED' ? 'credentials' : 'content');
  return down(kind, `${what}: ${status}`);
}

/** The names in an `ls` listing (without `.` and `..`), one a line. */
export function listedNames(listing: string): string[] {
  const entry = /^ {2}(.+?)\s+[ADHNRSV]*\s+\d+\s+(Mon|Tue|Wed|Thu|Fri|Sat|Sun) /;
  return listing
    .split('\n')
    .flatMap((line) => entry.exec(line)?.[1] ?? [])
    .filter((name) => name !== '.' && name !== '..');
}

/**
 * SMB: logs in to the share `info` names (`share` or `share/path`) with smbclient (SMB2/3, the
 * credentials in a private file) and lists it, or the directory the path names, or reads the file
 * it names (at most MAX_CONVERSATION_BYTES) and compares as sftp does (text or `sha256:<hex>`).
 */
export const smbCheck: Check = async (t, { timeoutMs }) => {
  const what = `smb ${t.host}`;
  const secrets = [t.password];
  const [share = '', ...rest] = t.info.split('/');
  const path = rest.filter((p) => p !== '').join('\\');
  if (share === '' || !safe(t.info)) return down('other', `${what}: not a share (or share/path)`);
  if (/[\r\n\0]/.test(t.username + t.password)) {
    return down('other', `${what}: a user name or password with a line break`);
  }
  // smbclient's credentials file drops the blanks after `password =` (tested).
  if (/^\s/.test(t.password)) {
    return down('other', `${what}: smbclient cannot take a password that begins with a blank`);
  }
  const login: SmbLogin = { ...t, share, port: t.port || DEFAULT_PORTS.smb };
  const abort = new AbortController();
  const timeoutS = Math.max(1, Math.ceil(timeoutMs / 1000));
  const ls = async (dir: string) => {
    const r = await smbclient(login, dir === '' ? 'ls' : `ls "${dir}\\*"`, timeoutS, abort.signal);
    if (r.code !== 0) return failure(r, what, secrets);
    const names = listedNames(r.stdout.toString('utf8'));
    const subject = `${share}${dir === '' ? '' : `/${dir.replaceAll('\\', '/')}`} (${names.length} entries)`;
    return matchContent(what, subject, Buffer.from(names.join('\n')), t.expect, 'listing');
  };
  const work = async (): Promise<CheckResult> => {
    if (path === '') return ls('');
    const r = await smbclient(login, `get "${path}" -`, timeoutS, abort.signal);
    if (r.code !== 0 && said(r).includes('NT_STATUS_FILE_IS_A_DIRECTORY')) return ls(path);
    if (r.code !== 0) return failure(r, what, secrets);
    return matchContent(what, `${t.info} (${r.stdout.length} bytes)`, r.stdout, t.expect, 'file');
  };
  try {
    return await withTimeout(work(), timeoutMs, () => abort.abort());
  } catch (err) {
    if (err instanceof LimitExceededError) return down('content', `${what}: ${err.message}`);
    const code = (err as { code?: string }).code;
    if (code === 'CHECK_TIMEOUT' || abort.signal.aborted)
      return down('timeout', `${what}: timed out`);
    if (code === 'ENOENT')
      return down('other', `${what}: ${SMBCLIENT_BINARY} is missing (smbclient)`);
    // The check's own connection to the server (refused, unreachable, reset).
    if (code !== undefined) return fromNetworkError(err, what);
    return down('other', `${what}: ${serverText((err as Error).message, secrets)}`);
  }
};
