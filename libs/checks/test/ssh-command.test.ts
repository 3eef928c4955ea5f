import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONVERSATION_BYTES } from '../src/index.js';
import { startSshServer, type TestServer } from './directory-daemons.js';
import { startFloodServer, writtenBound } from './flood-server.js';
import { check, closedPort, OPTIONS, silentTcpServer, target } from './helpers.js';

// The ssh-command check against ssh2's SSH server running the commands with /bin/sh in a scratch
// folder, a closed port, a silent server and hostile ones beside a healthy check.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const sshCommand = check('ssh-command');
let server: TestServer;
const login = { username: 'carol', password: 'pw-1 with spaces' };

beforeAll(async () => {
  server = await startSshServer(login.username, login.password, { 'motd.txt': 'Team 7 web\n' });
  closers.push(() => server.stop());
});

describe('ssh-command', () => {
  it('is up when the command exits 0 with the expected text (stdout or stderr)', async () => {
    const t = target(server.port, { ...login, info: 'cat motd.txt', expect: 'Team 7' });
    expect(await sshCommand(t, OPTIONS)).toMatchObject({
      up: true,
      message: 'ssh-command 127.0.0.1: the command exited 0 with the expected text',
    });
    expect(await sshCommand({ ...t, info: 'cat motd.txt >&2' }, OPTIONS)).toMatchObject({
      up: true,
    });
    expect(await sshCommand({ ...t, expect: '' }, OPTIONS)).toMatchObject({
      up: true,
      message: 'ssh-command 127.0.0.1: the command exited 0',
    });
  });

  it('reports a refused password without repeating it', async () => {
    const t = target(server.port, { username: 'carol', password: 'wrong', info: 'true' });
    expect(await sshCommand(t, OPTIONS)).toEqual({
      up: false,
      kind: 'credentials',
      message: 'ssh-command 127.0.0.1: login as carol refused',
    });
  });

  it('reports a failing command, a missing text and a missing command as content/other', async () => {
    const t = target(server.port, { ...login, info: 'cat motd.txt', expect: 'Team 9' });
    expect(await sshCommand(t, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: "ssh-command 127.0.0.1: the command's output does not contain the expected text",
      detail: 'expected: Team 9',
    });
    expect(await sshCommand({ ...t, info: 'cat missing.txt' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'ssh-command 127.0.0.1: the command exited with status 1',
    });
    expect(await sshCommand({ ...t, info: 'kill -TERM $$' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'ssh-command 127.0.0.1: the command was ended by signal SIGTERM',
    });
    expect(await sshCommand({ ...t, info: '' }, OPTIONS)).toEqual({
      up: false,
      kind: 'other',
      message: 'ssh-command 127.0.0.1: no command to run',
    });
  });

  it('reports a refused connection and a server that never answers', async () => {
    const t = { ...login, info: 'true' };
    expect(await sshCommand(target(await closedPort(), t), OPTIONS)).toMatchObject({
      up: false,
      kind: 'connection',
      message: 'ssh-command 127.0.0.1: ECONNREFUSED',
    });
    const silent = await silentTcpServer();
    closers.push(() => silent.close());
    expect(await sshCommand(target(silent.port, t), { timeoutMs: 300 })).toEqual({
      up: false,
      kind: 'timeout',
      message: 'ssh-command 127.0.0.1: timed out',
    });
  });

  it('fails endless output and hostile servers as content, while a healthy check beside them passes', async () => {
    const flood = await startFloodServer({ flood: 'not an ssh banner\r\n' });
    const garbage = await startFloodServer({
      hello: 'SSH-2.0-OpenSSH_9.2\r\n',
      flood: Buffer.alloc(4096, 0xff),
    });
    closers.push(
      () => flood.close(),
      () => garbage.close(),
    );
    const healthy = target(server.port, { ...login, info: 'cat motd.txt', expect: 'Team 7' });
    const [endless, flooded, malformed, ok] = await Promise.all([
      sshCommand({ ...healthy, info: 'yes' }, { timeoutMs: 10_000 }),
      sshCommand(target(flood.port, { ...login, info: 'true' }), { timeoutMs: 10_000 }),
      sshCommand(target(garbage.port, { ...login, info: 'true' }), { timeoutMs: 10_000 }),
      sshCommand(healthy, OPTIONS),
    ]);
    // The output limit or, first, the socket's meter (the output plus SSH's framing).
    expect(endless).toEqual({
      up: false,
      kind: 'content',
      message: expect.stringMatching(
        new RegExp(`^ssh-command 127\\.0\\.0\\.1: more than ${MAX_CONVERSATION_BYTES} bytes`),
      ),
    });
    // ssh2 takes at most 1024 lines before the banner (the meter would stop a longer one).
    expect(flooded).toEqual({
      up: false,
      kind: 'content',
      message: 'ssh-command 127.0.0.1: SSH protocol error: Max greeting lines exceeded',
    });
    expect(malformed).toEqual({
      up: false,
      kind: 'content',
      message: expect.stringMatching(/^ssh-command 127\.0\.0\.1: SSH protocol error: /),
    });
    expect(ok).toMatchObject({ up: true });
    expect(await flood.hungUp).toBeLessThanOrEqual(writtenBound(MAX_CONVERSATION_BYTES));
    expect(await garbage.hungUp).toBeLessThanOrEqual(writtenBound(MAX_CONVERSATION_BYTES));
  });
});
