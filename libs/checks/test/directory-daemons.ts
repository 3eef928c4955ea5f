import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { Server as SshServer, type Connection, type ServerChannel } from 'ssh2';
import { needs } from './daemons.js';
import { scratch } from './service-daemons.js';

// Servers for the directory, file-share and remote-login checks (ssh-command, sftp, ldap, smb,
// rdp), each started from a scratch folder on a free loopback port and stopped after the tests.

export interface TestServer {
  port: number;
  dir: string;
  stop(): Promise<void>;
}

const SFTP_SERVER = '/usr/lib/openssh/sftp-server';

/** Pipes a channel to a child process; the child is killed when the channel closes. */
function attach(channel: ServerChannel, binary: string, args: string[], cwd: string): void {
  const child = spawn(binary, args, { cwd, stdio: 'pipe' });
  channel.pipe(child.stdin);
  child.stdout.pipe(channel, { end: false });
  child.stderr.pipe(channel.stderr, { end: false });
  child.stdin.on('error', () => undefined);
  channel.on('error', () => undefined);
  channel.on('close', () => child.kill('SIGKILL'));
  child.on('close', (code, signal) => {
    if (code !== null) channel.exit(code);
    else if (signal !== null) channel.exit(signal.replace(/^SIG/, ''), false, '');
    channel.end();
  });
}

/**
 * An SSH server (ssh2's) that takes one user's password and hands the session to real programs
 * in a scratch folder: `exec` runs the command with /bin/sh, and the sftp subsystem is OpenSSH's
 * own sftp-server (openssh-sftp-server) serving that folder, or `sftpServer` (a program and its
 * arguments, given `-d <folder>` too). `files` are written there first.
 */
export async function startSshServer(
  user: string,
  password: string,
  files: Record<string, string | Buffer> = {},
  sftpServer: string[] = [SFTP_SERVER],
): Promise<TestServer> {
  needs(SFTP_SERVER, 'openssh-sftp-server');
  const s = scratch('ssh');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(s.dir, name)), { recursive: true });
    writeFileSync(join(s.dir, name), content);
  }
  const [sftpBinary = SFTP_SERVER, ...sftpArgs] = sftpServer;
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const clients = new Set<Connection>();
  const server = new SshServer({ hostKeys: [privateKey] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === user && ctx.password === password) {
        ctx.accept();
      } else ctx.reject(['password']);
    });
    client.on('session', (accept) => {
      const session = accept();
      session.on('exec', (acceptExec, _reject, info) =>
        attach(acceptExec(), '/bin/sh', ['-c', info.command], s.dir),
      );
      session.on('subsystem', (acceptSub, reject, info) => {
        if (info.name === 'sftp')
          attach(acceptSub(), sftpBinary, [...sftpArgs, '-d', s.dir], s.dir);
        else reject();
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    dir: s.dir,
    async stop() {
      for (const c of clients) c.end();
      await new Promise((r) => server.close(r));
      rmSync(s.dir, { recursive: true, force: true });
    },
  };
}
