import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LimitExceededError, MAX_CONVERSATION_BYTES } from './limits.js';
import { MeteredRelay } from './smb.relay.js';

/** Samba's client (Debian's smbclient package). */
export const SMBCLIENT_BINARY = '/usr/bin/smbclient';
/** Its messages on stderr (a status, "getting file …") are short; more is not kept. */
const MAX_STDERR_BYTES = 64 * 1024;

export interface SmbLogin {
  /** Connected to by the check itself; smbclient sees only the relay, 127.0.0.1. */
  host: string;
  port: number;
  share: string;
  username: string;
  password: string;
}

export interface SmbRun {
  code: number | null;
  /** A listing, or a file's content (`get <file> -`): at most MAX_CONVERSATION_BYTES. */
  stdout: Buffer;
  stderr: string;
}

/** The credentials file smbclient reads with `-A` (a `DOMAIN\user` name gives its domain). */
function authFile(username: string, password: string): string {
  const slash = username.indexOf('\\');
  const lines =
    slash < 0
      ? [`username = ${username}`]
      : [`domain = ${username.slice(0, slash)}`, `username = ${username.slice(slash + 1)}`];
  return [...lines, `password = ${password}`, ''].join('\n');
}

/**
 * Runs `smbclient //host/share -c <command>`, through a MeteredRelay to the server (so all the
 * server sends is bounded as for the other checks, and the host is never an argument), with the credentials only in a file of a private
 * temporary folder (mode 0600 in a 0700 folder, removed afterwards): never in its arguments or
 * environment, which other users can read in /proc. It gets an empty smb.conf (the host's own
 * does not change the check) and a minimal environment (smbclient reads USER and PASSWD from
 * it). Its output is bounded (stdout MAX_CONVERSATION_BYTES: past it, it is killed and the run
 * fails with a LimitExceededError), and `signal` kills it (the check's time limit).
 */
export async function smbclient(
  login: SmbLogin,
  command: string,
  timeoutS: number,
  signal: AbortSignal,
): Promise<SmbRun> {
  const relay = await MeteredRelay.open(login.host, login.port, signal);
  const dir = mkdtempSync(join(tmpdir(), 'checkwire-smb-'));
  try {
    const auth = join(dir, 'auth');
    writeFileSync(auth, authFile(login.username, login.password), { mode: 0o600, flag: 'wx' });
    const conf = join(dir, 'smb.conf');
    writeFileSync(conf, '', { mode: 0o600, flag: 'wx' });
    const args = [
      `//127.0.0.1/${login.share}`,
      ...['-p', String(relay.port), '-A', auth, '-s', conf],
      ...['-t', String(timeoutS), '--use-kerberos=off', '-c', command],
    ];
    const result = await run(args, dir, signal);
    // The server sent more than the relay lets through: that, not smbclient's view of it.
    if (relay.failure instanceof LimitExceededError) throw relay.failure;
    return result;
  } finally {
    relay.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(args: string[], dir: string, signal: AbortSignal): Promise<SmbRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(SMBCLIENT_BINARY, args, {
      env: { PATH: '/usr/bin:/bin', LC_ALL: 'C', HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
      killSignal: 'SIGKILL',
    });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let failure: Error | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > MAX_CONVERSATION_BYTES) {
        failure ??= new LimitExceededError(`more than ${MAX_CONVERSATION_BYTES} bytes read`);
        child.kill('SIGKILL');
      } else stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR_BYTES) stderr += chunk.toString('utf8');
    });
    child.on('error', (err) => (failure ??= err));
    child.on('close', (code) => {
      if (failure !== undefined) reject(failure);
      else
        resolve({ code, stdout: Buffer.concat(stdout), stderr: stderr.slice(0, MAX_STDERR_BYTES) });
    });
  });
}
