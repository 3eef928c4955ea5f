import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discovery } from '../src/snmp.check.js';
import { freePort, needs, waitForPort, type Daemon } from './daemons.js';

// Real Debian daemons for the infrastructure checks (redis, mosquitto, ngircd, chrony, tftpd-hpa,
// snmpd, Xvnc), each started in the foreground from a scratch folder on a free loopback port with
// its secrets in files there (never in its arguments), and stopped after the tests.

export interface Scratch {
  dir: string;
  file(name: string, text: string): string;
}

export function scratch(name: string): Scratch {
  const dir = mkdtempSync(join(tmpdir(), `checkwire-${name}-`));
  chmodSync(dir, 0o755);
  return {
    dir,
    file(file, text) {
      const path = join(dir, file);
      writeFileSync(path, text);
      return path;
    },
  };
}

/** Runs a daemon in the foreground; `ready` resolves once it serves. */
export async function run(
  binary: string,
  pkg: string,
  args: string[],
  dir: string,
  ready: () => Promise<void>,
  ports: Record<string, number>,
): Promise<Daemon> {
  needs(binary, pkg);
  const child: ChildProcess = spawn(binary, args, { stdio: 'ignore', cwd: dir });
  const exited = new Promise((r) => child.once('exit', r));
  const early = exited.then(() => {
    throw new Error(`${binary} exited before it was ready (see ${dir})`);
  });
  early.catch(() => undefined);
  try {
    await Promise.race([ready(), early]);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    ports,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Redis with a default-user password and an ACL user. */
export async function startRedis(defaultPassword: string, user: string, password: string) {
  const s = scratch('redis');
  const port = await freePort();
  const conf = s.file(
    'redis.conf',
    `port ${port}
bind 127.0.0.1
dir ${s.dir}
save ""
appendonly no
daemonize no
logfile ${s.dir}/redis.log
user default on >${defaultPassword} ~* &* +@all
user ${user} on >${password} ~* &* +@all
`,
  );
  return run(
    '/usr/bin/redis-server',
    'redis-server',
    [conf],
    s.dir,
    () => waitForPort(port, 10_000),
    {
      redis: port,
    },
  );
}

/** Mosquitto: no anonymous clients, one user from a password file. */
export async function startMosquitto(user: string, password: string) {
  const s = scratch('mosquitto');
  const port = await freePort();
  const passwd = s.file('passwd', '');
  // mosquitto_passwd hashes the password into the file (test input only: never a check's).
  execFileSync('/usr/bin/mosquitto_passwd', ['-b', passwd, user, password], { stdio: 'ignore' });
  const conf = s.file(
    'mosquitto.conf',
    `listener ${port} 127.0.0.1
allow_anonymous false
password_file ${passwd}
persistence false
user root
log_dest file ${s.dir}/mosquitto.log
`,
  );
  return run(
    '/usr/sbin/mosquitto',
    'mosquitto',
    ['-c', conf],
    s.dir,
    () => waitForPort(port, 10_000),
    {
      mqtt: port,
    },
  );
}

/** ngIRCd with a server password and a MOTD phrase. */
export async function startNgircd(password: string, motd: string) {
  const s = scratch('ngircd');
  const port = await freePort();
  const conf = s.file(
    'ngircd.conf',
    `[Global]
Name = irc.team7.test
Info = Checkwire test server
Listen = 127.0.0.1
Ports = ${port}
Password = ${password}
MotdPhrase = ${motd}
PidFile = ${s.dir}/ngircd.pid
[Limits]
MaxConnectionsIP = 0
[Options]
DNS = no
Ident = no
PAM = no
`,
  );
  return run(
    '/usr/sbin/ngircd',
    'ngircd',
    ['-n', '-f', conf],
    s.dir,
    () => waitForPort(port, 10_000),
    {
      irc: port,
    },
  );
}

/**
 * Waits until a UDP server answers `request` (and the answer is `ready`); each try waits 200 ms
 * for its answer.
 */
export async function waitForUdp(
  port: number,
  request: Buffer,
  ready: (answer: Buffer) => boolean = () => true,
  ms = 10_000,
): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const socket = createSocket('udp4');
    const answered = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 200);
      socket.once('message', (answer) => (clearTimeout(timer), resolve(ready(answer))));
      socket.once('error', () => undefined);
      socket.send(request, port, '127.0.0.1');
    });
    socket.close();
    if (answered) return;
    if (Date.now() > end) throw new Error(`nothing answers on udp 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** chronyd serving its own clock (`local stratum`), or, without it, unsynchronised. */
export async function startChrony(localStratum: number | undefined) {
  const s = scratch('chrony');
  const port = await freePort();
  const conf = s.file(
    'chrony.conf',
    `port ${port}
bindaddress 127.0.0.1
allow 127.0.0.1
${localStratum === undefined ? '' : `local stratum ${localStratum}`}
cmdport 0
user root
pidfile ${s.dir}/chronyd.pid
driftfile ${s.dir}/drift
`,
  );
  const request = Buffer.alloc(48);
  request[0] = 0x23;
  // Served once it answers, and, with `local`, once that reference is active (leap indicator 0).
  const ready = (answer: Buffer) => localStratum === undefined || answer[0]! >> 6 !== 3;
  // -d: foreground; -x: never touch the system clock.
  return run(
    '/usr/sbin/chronyd',
    'chrony',
    ['-d', '-x', '-f', conf],
    s.dir,
    () => waitForUdp(port, request, ready),
    {
      ntp: port,
    },
  );
}

/** tftpd-hpa serving a folder of files, read only. */
export async function startTftpd(files: Record<string, string | Buffer>) {
  const s = scratch('tftpd');
  const root = join(s.dir, 'root');
  mkdirSync(root);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, name), content);
  chmodSync(root, 0o755);
  const port = await freePort();
  // -L: foreground; -s: chroot into the folder; -u root: no user to switch to in a container.
  const args = ['-L', '-a', `127.0.0.1:${port}`, '-u', 'root', '-s', root];
  return run(
    '/usr/sbin/in.tftpd',
    'tftpd-hpa',
    args,
    s.dir,
    () => waitForUdp(port, rrqOf('probe')),
    {
      tftp: port,
    },
  );
}

const rrqOf = (file: string) => Buffer.from(`\0\x01${file}\0octet\0`, 'latin1');

/** snmpd answering SNMPv2c for one read-only community, with a known sysDescr. */
export async function startSnmpd(community: string, sysDescr: string) {
  const s = scratch('snmpd');
  const port = await freePort();
  const conf = s.file(
    'snmpd.conf',
    `rocommunity ${community} 127.0.0.1
sysDescr ${sysDescr}
sysLocation Team 7 rack
`,
  );
  // -f: foreground; -C: only this configuration; -Lf: log to a file; no agentx master.
  const args = [
    '-f',
    '-C',
    '-c',
    conf,
    '-Lf',
    join(s.dir, 'snmpd.log'),
    '-p',
    join(s.dir, 'pid'),
    '-I',
    '-smux',
    `udp:127.0.0.1:${port}`,
  ];
  // Ready once it answers an SNMPv3 discovery (which needs no community).
  return run('/usr/sbin/snmpd', 'snmpd', args, s.dir, () => waitForUdp(port, discovery(1)), {
    snmp: port,
  });
}

/** A display number no X server uses. */
export function freeDisplay(): number {
  for (let n = 100 + Math.floor(Math.random() * 800); ; n++) {
    if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return n;
  }
}

/** TigerVNC's Xvnc with VNC authentication (or, without a password, none) and a desktop name. */
export async function startXvnc(password: string | undefined, desktop: string) {
  const s = scratch('xvnc');
  const port = await freePort();
  const security = ['-SecurityTypes', password === undefined ? 'None' : 'VncAuth'];
  if (password !== undefined) {
    // tigervncpasswd -f reads the password on stdin and writes its obfuscated form.
    const obfuscated = execFileSync('/usr/bin/tigervncpasswd', ['-f'], {
      input: `${password}\n${password}\n`,
    });
    writeFileSync(join(s.dir, 'passwd'), obfuscated, { mode: 0o600 });
    security.push('-PasswordFile', join(s.dir, 'passwd'));
  }
  const args = [
    `:${freeDisplay()}`,
    '-rfbport',
    String(port),
    '-localhost',
    '-nolisten',
    'tcp',
    '-desktop',
    desktop,
    '-geometry',
    '640x480',
    '-BlacklistThreshold',
    '1000',
    ...security,
  ];
  return run(
    '/usr/bin/Xvnc',
    'tigervnc-standalone-server',
    args,
    s.dir,
    () => waitForPort(port, 15_000),
    {
      vnc: port,
    },
  );
}
