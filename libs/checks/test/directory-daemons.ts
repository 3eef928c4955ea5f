import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { Server as SshServer, type Connection, type ServerChannel } from 'ssh2';
import { freePort, needs, waitForPort, type Daemon } from './daemons.js';
import { run, scratch } from './service-daemons.js';

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

/** A self-signed certificate and key for 127.0.0.1, made by openssl in `dir`. */
export function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    '/usr/bin/openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
      ...['-subj', '/CN=127.0.0.1', '-keyout', key, '-out', cert],
    ],
    { stdio: 'ignore', env: { ...process.env, RANDFILE: join(dir, '.rnd') }, cwd: dir },
  );
  return { cert, key };
}

export interface Slapd extends Daemon {
  suffix: string;
}

/**
 * OpenLDAP's slapd (mdb) for `dc=team7,dc=test` from a generated slapd.conf, loaded by slapadd
 * from `ldif`, on a free ldap:// and ldaps:// port (a self-signed certificate); -d 0 keeps it in
 * the foreground. The admin's and users' passwords are in the folder's files only.
 */
export async function startSlapd(adminPassword: string, ldif: string, acl: string): Promise<Slapd> {
  needs('/usr/sbin/slapd', 'slapd');
  const s = scratch('slapd');
  mkdirSync(join(s.dir, 'db'));
  const { cert, key } = selfSignedCert(s.dir);
  const suffix = 'dc=team7,dc=test';
  const conf = s.file(
    'slapd.conf',
    `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile ${s.dir}/slapd.pid
argsfile ${s.dir}/slapd.args
TLSCertificateFile ${cert}
TLSCertificateKeyFile ${key}
database mdb
maxsize 10485760
suffix "${suffix}"
rootdn "cn=admin,${suffix}"
rootpw "${adminPassword}"
directory ${s.dir}/db
${acl}
`,
  );
  chmodSync(conf, 0o600);
  try {
    execFileSync('/usr/sbin/slapadd', ['-f', conf, '-l', s.file('data.ldif', ldif)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (err) {
    rmSync(s.dir, { recursive: true, force: true });
    throw new Error(`slapadd failed: ${(err as { stderr?: Buffer }).stderr?.toString() ?? ''}`);
  }
  const ldap = await freePort();
  const ldaps = await freePort();
  const urls = `ldap://127.0.0.1:${ldap}/ ldaps://127.0.0.1:${ldaps}/`;
  const daemon = await run(
    '/usr/sbin/slapd',
    'slapd',
    ['-f', conf, '-h', urls, '-d', '0'],
    s.dir,
    async () => {
      await waitForPort(ldap, 10_000);
      await waitForPort(ldaps, 10_000);
    },
    { ldap, ldaps },
  );
  return { ...daemon, suffix };
}

/**
 * Samba's smbd (standalone server, SMB2/3 only) serving `files` as the share `share`, read only,
 * to one user: `user`, mapped (username map) to the system's `nobody`, whose Samba password
 * (`smbpasswd -a -s`, read from stdin) goes into a passdb in the scratch folder. No system user is
 * created and nothing outside the folder is written.
 */
export async function startSmbd(
  user: string,
  password: string,
  files: Record<string, string | Buffer>,
): Promise<Daemon> {
  needs('/usr/sbin/smbd', 'samba');
  const s = scratch('smbd');
  const d = s.dir;
  for (const sub of ['private', 'lock', 'state', 'cache', 'run', 'ncalrpc', 'share']) {
    mkdirSync(join(d, sub));
  }
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(d, 'share', name)), { recursive: true });
    writeFileSync(join(d, 'share', name), content);
  }
  execFileSync('/usr/bin/chmod', ['-R', 'a+rX', join(d, 'share')]);
  const port = await freePort();
  s.file('users.map', `nobody = ${user}\n`);
  const conf = s.file(
    'smb.conf',
    `[global]
  workgroup = TEAM7
  server role = standalone server
  server min protocol = SMB2_02
  interfaces = 127.0.0.1
  bind interfaces only = yes
  smb ports = ${port}
  disable netbios = yes
  private dir = ${d}/private
  lock directory = ${d}/lock
  state directory = ${d}/state
  cache directory = ${d}/cache
  pid directory = ${d}/run
  ncalrpc dir = ${d}/ncalrpc
  log file = ${d}/log.%m
  passdb backend = tdbsam:${d}/private/passdb.tdb
  username map = ${d}/users.map
  map to guest = never
  load printers = no
  printcap name = /dev/null
  disable spoolss = yes
[share]
  path = ${d}/share
  read only = yes
  valid users = nobody
`,
  );
  execFileSync('/usr/bin/smbpasswd', ['-c', conf, '-a', '-s', 'nobody'], {
    input: `${password}\n${password}\n`,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  return runInOwnGroup(
    '/usr/sbin/smbd',
    ['-F', '--no-process-group', '-s', conf, '-l', d, '-d', '0'],
    d,
    port,
    {
      smb: port,
    },
  );
}

/**
 * Runs a daemon in the foreground in a process group of its own (detached) until `port` answers:
 * smbd ends by signalling its whole group (kill(0, SIGTERM)), which would otherwise take the test
 * runner with it. stop() signals that group and removes the scratch folder.
 */
async function runInOwnGroup(
  binary: string,
  args: string[],
  dir: string,
  port: number,
  ports: Record<string, number>,
): Promise<Daemon> {
  const child = spawn(binary, args, { stdio: 'ignore', cwd: dir, detached: true });
  const exited = new Promise((r) => child.once('exit', r));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      waitForPort(port, 15_000),
      exited.then(() =>
        Promise.reject(new Error(`${binary} exited before it was ready (see ${dir})`)),
      ),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { ports, stop };
}

/**
 * xrdp (foreground, no fork) with its own xrdp.ini and a self-signed certificate, listening on a
 * free loopback port; `securityLayer` is xrdp's own setting (negotiate, tls or rdp). It logs to
 * the scratch folder; only its socket folder (/run/xrdp/sockdir, fixed when xrdp was built, which
 * it creates) is outside.
 */
export async function startXrdp(securityLayer: 'negotiate' | 'tls' | 'rdp'): Promise<Daemon> {
  needs('/usr/sbin/xrdp', 'xrdp');
  const s = scratch('xrdp');
  const { cert, key } = selfSignedCert(s.dir);
  const port = await freePort();
  const ini = s.file(
    'xrdp.ini',
    `[Globals]
ini_version=1
fork=false
port=tcp://127.0.0.1:${port}
security_layer=${securityLayer}
crypt_level=high
certificate=${cert}
key_file=${key}
ssl_protocols=TLSv1.2, TLSv1.3

[Logging]
LogFile=${s.dir}/xrdp.log
LogLevel=INFO
EnableSyslog=false
EnableConsole=false

[Xorg]
name=Xorg
lib=libxup.so
username=ask
password=ask
ip=127.0.0.1
port=-1
code=20
`,
  );
  return runInOwnGroup('/usr/sbin/xrdp', ['--nodaemon', '--config', ini], s.dir, port, {
    rdp: port,
  });
}
