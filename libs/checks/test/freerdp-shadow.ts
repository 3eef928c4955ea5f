import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { freePort, needs, waitForPort, type Daemon } from './daemons.js';
import { freeDisplay, scratch } from './service-daemons.js';

// A real server that does Network Level Authentication (CredSSP with NTLM), for the rdp check's
// login: FreeRDP's shadow server (freerdp2-shadow-x11), which needs an X display to share, here a
// TigerVNC Xvnc of its own that listens for no VNC viewer.

const XVNC = '/usr/bin/Xvnc';
const SHADOW = '/usr/bin/freerdp-shadow-cli';

/** Resolves once the X server's socket accepts a connection (polled, as waitForPort does). */
async function waitForDisplay(display: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection({ path: `/tmp/.X11-unix/X${display}` });
      c.once('connect', () => (c.destroy(), resolve(true)));
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`X display :${display} never answered`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Ends a child (SIGTERM) and waits for it. */
async function end(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * freerdp-shadow-cli requiring NLA (`/sec:nla`) with one NTLM account, `user` with `password`,
 * in a SAM file (`user::<LM hash>:<NT hash>:::`, the NT hash MD4(UTF-16LE(password)) made by
 * OpenSSL's legacy provider from the password on stdin, so no code under test makes it), on a
 * free loopback port. Its HOME is the scratch folder, where it makes its own certificate.
 */
export async function startFreeRdpShadow(user: string, password: string): Promise<Daemon> {
  needs(XVNC, 'tigervnc-standalone-server');
  needs(SHADOW, 'freerdp2-shadow-x11');
  const s = scratch('freerdp-shadow');
  const ntHash = execFileSync(
    '/usr/bin/openssl',
    ['dgst', '-md4', '-provider', 'legacy', '-provider', 'default', '-r'],
    { input: Buffer.from(password, 'utf16le') },
  )
    .toString('latin1')
    .slice(0, 32);
  const sam = s.file('sam', `${user}::${'0'.repeat(32)}:${ntHash}:::\n`);
  const display = freeDisplay();
  const port = await freePort();
  const log = openSync(join(s.dir, 'log'), 'a');
  const env = { PATH: '/usr/bin:/bin', HOME: s.dir, DISPLAY: `:${display}` };
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await end(child);
    closeSync(log);
    rmSync(s.dir, { recursive: true, force: true });
  };
  const start = (binary: string, args: string[]) => {
    const child = spawn(binary, args, { cwd: s.dir, env, stdio: ['ignore', log, log] });
    children.push(child);
    const early = new Promise<never>((_, reject) =>
      child.once('exit', () => reject(new Error(`${binary} exited early (see ${s.dir}/log)`))),
    );
    early.catch(() => undefined);
    return early;
  };
  try {
    const xvnc = start(XVNC, [
      `:${display}`,
      ...['-rfbport', '-1', '-localhost', '-nolisten', 'tcp', '-geometry', '640x480'],
      ...['-SecurityTypes', 'None'],
    ]);
    await Promise.race([waitForDisplay(display, 15_000), xvnc]);
    const shadow = start(SHADOW, [
      `/port:${port}`,
      '/bind-address:127.0.0.1',
      '/sec:nla',
      `/sam-file:${sam}`,
    ]);
    await Promise.race([waitForPort(port, 15_000), shadow, xvnc]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { ports: { rdp: port }, stop };
}
