import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Real Debian daemons for the checks that need one (tools/ci/test.sh installs them), each started
// from a scratch folder on a free loopback port and stopped after the tests.

export function needs(path: string, pkg: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: apt-get install ${pkg}`);
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

export async function waitForPort(port: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection({ host: '127.0.0.1', port });
      c.once('connect', () => (c.destroy(), resolve(true)));
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Daemon {
  ports: Record<string, number>;
  stop(): Promise<void>;
}

/** Dovecot with IMAP and POP3 (plaintext logins allowed), one user: `user` / `password`. */
export async function startDovecot(user: string, password: string): Promise<Daemon> {
  needs('/usr/sbin/dovecot', 'dovecot-imapd dovecot-pop3d');
  const dir = mkdtempSync(join(tmpdir(), 'checkwire-dovecot-'));
  chmodSync(dir, 0o755);
  for (const d of ['run', 'state', 'mail']) mkdirSync(join(dir, d));
  chmodSync(join(dir, 'mail'), 0o777);
  const imap = await freePort();
  const pop3 = await freePort();
  writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${password}\n`);
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `protocols = imap pop3
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/users
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    port = ${imap}
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = ${pop3}
  }
  inet_listener pop3s {
    port = 0
  }
}
`,
  );
  // Dovecot forks into the background; its stdio must not be pipes we would wait on.
  execFileSync('/usr/sbin/dovecot', ['-c', join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  await waitForPort(imap, 10_000);
  await waitForPort(pop3, 10_000);
  return {
    ports: { imap, pop3 },
    async stop() {
      const pid = Number(readFileSync(join(dir, 'run', 'master.pid'), 'utf8'));
      process.kill(pid, 'SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** MariaDB with one user `user` / `password` and a database `database`. */
export async function startMariaDb(
  user: string,
  password: string,
  database: string,
): Promise<Daemon> {
  needs('/usr/sbin/mariadbd', 'mariadb-server');
  const dir = mkdtempSync(join(tmpdir(), 'checkwire-mariadb-'));
  chmodSync(dir, 0o755);
  execFileSync(
    '/usr/bin/mariadb-install-db',
    [
      '--no-defaults',
      `--datadir=${dir}/data`,
      '--user=root',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ],
    { stdio: 'ignore' },
  );
  writeFileSync(
    join(dir, 'init.sql'),
    [
      `CREATE DATABASE ${database};`,
      ...['%', 'localhost'].map(
        (host) => `CREATE USER '${user}'@'${host}' IDENTIFIED BY '${password}';`,
      ),
      ...['%', 'localhost'].map((host) => `GRANT ALL ON ${database}.* TO '${user}'@'${host}';`),
      'FLUSH PRIVILEGES;',
    ].join('\n'),
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    '/usr/sbin/mariadbd',
    [
      '--no-defaults',
      `--datadir=${dir}/data`,
      '--user=root',
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${dir}/sock`,
      `--pid-file=${dir}/pid`,
      `--init-file=${dir}/init.sql`,
      '--skip-log-bin',
    ],
    { stdio: 'ignore' },
  );
  await waitForPort(port, 30_000);
  return {
    ports: { mysql: port },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
