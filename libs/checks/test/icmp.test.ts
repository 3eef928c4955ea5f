import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/index.js';
import { check, OPTIONS, target } from './helpers.js';

// The icmp check through iputils-ping: the kernel's echo responder on loopback answers; for hosts
// that do not answer or cannot be reached, the check runs in a network namespace of its own
// (unshare -n), where 10.9.9.0/24 is routed into loopback with no one there (requests vanish:
// no reply) and 10.7.0.0/16 is unreachable. Nothing on the host's network changes.

const icmp = check('icmp');
const runCheck = fileURLToPath(new URL('./run-check.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

function inNamespace(host: string, timeoutMs: number): Promise<CheckResult> {
  const setup = [
    'ip link set lo up',
    'ip addr add 10.9.9.1/32 dev lo',
    'ip route add 10.9.9.0/24 dev lo',
    'ip route add unreachable 10.7.0.0/16',
    `exec "$0" "$@"`,
  ].join(' && ');
  const args = [
    '-n',
    'sh',
    '-c',
    setup,
    tsx,
    runCheck,
    'icmp',
    String(timeoutMs),
    JSON.stringify({ host }),
  ];
  return new Promise((resolve, reject) =>
    execFile('/usr/bin/unshare', args, (err, stdout, stderr) =>
      err === null
        ? resolve(JSON.parse(stdout) as CheckResult)
        : reject(new Error(`${err.message}\n${stderr}`)),
    ),
  );
}

describe('icmp', () => {
  it('is up when the host answers echo requests', async () => {
    expect(await icmp(target(0, { host: '127.0.0.1' }), OPTIONS)).toEqual({
      up: true,
      message: 'icmp 127.0.0.1: 3 of 3 echo requests answered',
    });
    expect(check('ping')).toBe(icmp);
  });

  it('reports a host that never answers as timeout, an unreachable one as connection', async () => {
    const [silent, unreachable, healthy] = await Promise.all([
      // ping's deadline is 3 s, the limit 4 s: its own verdict arrives first, even when slow.
      inNamespace('10.9.9.2', 4000),
      inNamespace('10.7.0.1', 4000),
      icmp(target(0, { host: '127.0.0.1' }), OPTIONS),
    ]);
    expect(silent).toEqual({
      up: false,
      kind: 'timeout',
      message: expect.stringMatching(/^icmp 10\.9\.9\.2: no echo reply to \d+ requests$/),
    });
    expect(unreachable).toEqual({
      up: false,
      kind: 'connection',
      message: 'icmp 10.7.0.1: connect: No route to host',
    });
    expect(healthy).toMatchObject({ up: true });
  });

  it('refuses a host that could be read as an option or holds anything but a name', async () => {
    for (const host of ['-f', '--help', '127.0.0.1 -f', 'a;b', '$(id)', '']) {
      expect(await icmp(target(0, { host }), OPTIONS)).toEqual({
        up: false,
        kind: 'other',
        message: `icmp ${host}: not a host name or address`,
      });
    }
  });

  it("gives up at its own time limit, below ping's deadline of a second", async () => {
    expect(await inNamespace('10.9.9.2', 300)).toEqual({
      up: false,
      kind: 'timeout',
      message: 'icmp 10.9.9.2: timed out',
    });
  });
});
