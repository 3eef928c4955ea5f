import type { Client, SFTPWrapper } from 'ssh2';
import { down, type Check, type CheckResult } from './check.js';
import { DEFAULT_PORTS } from './default-ports.js';
import { MAX_CONVERSATION_BYTES } from './limits.js';
import { matchContent } from './sftp.match.js';
import { sshFailure, withSshSession } from './ssh-command.session.js';

/** SFTP status codes (draft-ietf-secsh-filexfer-02 §7) a check reports by name. */
const STATUS = new Map<number, string>([
  [2, 'no such file or directory'],
  [3, 'permission denied'],
]);

/** The server refused the SFTP subsystem, or answered a request with a status other than OK. */
class SftpRefusal extends Error {}

const refusal = (status: number) => new SftpRefusal(STATUS.get(status) ?? `SFTP status ${status}`);

/** One SFTP request as a promise; a status reply rejects with an SftpRefusal. */
function call<T>(start: (done: (err: Error | undefined | null, value: T) => void) => void) {
  return new Promise<T>((resolve, reject) =>
    start((err, value) => {
      if (err === undefined || err === null) resolve(value);
      else {
        const code = (err as { code?: unknown }).code;
        reject(typeof code === 'number' ? refusal(code) : err);
      }
    }),
  );
}

/** A file's content, at most MAX_CONVERSATION_BYTES (null when it is longer). */
async function readFile(sftp: SFTPWrapper, path: string): Promise<Buffer | null> {
  const handle = await call<Buffer>((d) => sftp.open(path, 'r', d));
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const chunk = Buffer.alloc(32 * 1024);
    const read = await call<number>((d) =>
      sftp.read(handle, chunk, 0, chunk.length, size, (err, n) => d(err, n)),
    );
    if (read === 0) break;
    size += read;
    if (size > MAX_CONVERSATION_BYTES) return null;
    chunks.push(chunk.subarray(0, read));
  }
  sftp.close(handle, () => undefined);
  return Buffer.concat(chunks);
}

async function inspect(client: Client, path: string, expected: string, what: string) {
  // Refused, or ended before its version reply (ssh2 tells neither apart from the other).
  const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
    client.sftp((err, session) =>
      err === undefined ? resolve(session) : reject(new SftpRefusal('SFTP did not start')),
    ),
  );
  const stats = await call<{ isDirectory(): boolean }>((d) => sftp.stat(path, d));
  if (stats.isDirectory()) {
    const list = await call<{ filename: string }[]>((d) => sftp.readdir(path, d));
    const listing = Buffer.from(list.map((e) => e.filename).join('\n'));
    return matchContent(what, `${path} (${list.length} entries)`, listing, expected, 'listing');
  }
  const content = await readFile(sftp, path);
  if (content === null) {
    return down('content', `${what}: ${path} is longer than ${MAX_CONVERSATION_BYTES} bytes`);
  }
  return matchContent(what, `${path} (${content.length} bytes)`, content, expected, 'file');
}

/**
 * SFTP: logs in with the password (as ssh-command), then lists the directory `info` names
 * (default `.`), or reads the file it names (at most MAX_CONVERSATION_BYTES), and compares it
 * with `expect`: `sha256:<hex>` is the file's hash, other text must appear in the listing (one
 * name a line) or the file.
 */
export const sftpCheck: Check = async (t, { timeoutMs }): Promise<CheckResult> => {
  const what = `sftp ${t.host}`;
  const path = t.info === '' ? '.' : t.info;
  try {
    return await withSshSession(t, DEFAULT_PORTS.sftp, timeoutMs, (c) =>
      inspect(c, path, t.expect, what),
    );
  } catch (err) {
    if (err instanceof SftpRefusal) return down('content', `${what}: ${path}: ${err.message}`);
    return sshFailure(err, what, t.username);
  }
};
