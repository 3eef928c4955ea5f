import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONVERSATION_BYTES } from '../src/index.js';
import { startSshServer, type TestServer } from './directory-daemons.js';
import { startFloodServer, writtenBound } from './flood-server.js';
import { check, closedPort, OPTIONS, silentTcpServer, target } from './helpers.js';

// The sftp check against OpenSSH's sftp-server (behind ssh2's SSH server) serving a scratch
// folder, a closed port, a silent server and hostile ones beside a healthy check.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const sftp = check('sftp');
const login = { username: 'dave', password: 'sftp pw' };
const notes = 'Team 7 notes\n';
const sha = (s: string | Buffer) => `sha256:${createHash('sha256').update(s).digest('hex')}`;
let server: TestServer;

beforeAll(async () => {
  server = await startSshServer(login.username, login.password, {
    'notes.txt': notes,
    'www/index.html': '<h1>Team 7</h1>\n',
    'big.bin': Buffer.alloc(2 * MAX_CONVERSATION_BYTES, 7),
  });
  closers.push(() => server.stop());
});

describe('sftp', () => {
  it('lists a directory and reads a file, by text or by hash', async () => {
    const t = target(server.port, login);
    expect(await sftp(t, OPTIONS)).toMatchObject({
      up: true,
      message: 'sftp 127.0.0.1: listed . (3 entries)',
    });
    expect(await sftp({ ...t, info: 'www', expect: 'index.html' }, OPTIONS)).toMatchObject({
      up: true,
      message: 'sftp 127.0.0.1: listed www (1 entries) with the expected text',
    });
    expect(await sftp({ ...t, info: 'notes.txt', expect: 'Team 7' }, OPTIONS)).toMatchObject({
      up: true,
      message: 'sftp 127.0.0.1: read notes.txt (13 bytes) with the expected text',
    });
    const hash = sha(notes).toUpperCase().replace('SHA256', 'sha256');
    expect(await sftp({ ...t, info: 'notes.txt', expect: hash }, OPTIONS)).toMatchObject({
      up: true,
      message: 'sftp 127.0.0.1: read notes.txt (13 bytes) with the expected sha256',
    });
  });

  it('reports a refused password', async () => {
    expect(await sftp(target(server.port, { username: 'dave', password: 'no' }), OPTIONS)).toEqual({
      up: false,
      kind: 'credentials',
      message: 'sftp 127.0.0.1: login as dave refused',
    });
  });

  it('reports missing files, other content and a file past the limit as content', async () => {
    const t = target(server.port, { ...login, info: 'notes.txt' });
    expect(await sftp({ ...t, expect: 'Team 9' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'sftp 127.0.0.1: notes.txt (13 bytes) does not contain the expected text',
      detail: 'expected: Team 9',
    });
    expect(await sftp({ ...t, expect: sha('other') }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'sftp 127.0.0.1: notes.txt (13 bytes) does not have the expected sha256',
      detail: `expected: ${sha('other')}; got ${sha(notes)}`,
    });
    expect(await sftp({ ...t, info: 'www', expect: sha(notes) }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'sftp 127.0.0.1: www (1 entries) is a directory, and a sha256 needs a file',
    });
    expect(await sftp({ ...t, info: 'gone.txt' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'sftp 127.0.0.1: gone.txt: no such file or directory',
    });
    // The socket's meter stops it first (the file and SFTP's and SSH's framing).
    expect(await sftp({ ...t, info: 'big.bin' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: `sftp 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
    });
  });

  it('reports a refused connection and a server that never answers', async () => {
    expect(await sftp(target(await closedPort(), login), OPTIONS)).toMatchObject({
      up: false,
      kind: 'connection',
      message: 'sftp 127.0.0.1: ECONNREFUSED',
    });
    const silent = await silentTcpServer();
    closers.push(() => silent.close());
    expect(await sftp(target(silent.port, login), { timeoutMs: 300 })).toEqual({
      up: false,
      kind: 'timeout',
      message: 'sftp 127.0.0.1: timed out',
    });
  });

  it('fails hostile servers as content, while a healthy check beside them passes', async () => {
    // An SSH server whose sftp subsystem answers endless junk, and one that refuses it.
    const junk = await startSshServer(login.username, login.password, {}, ['/usr/bin/yes']);
    const noSftp = await startSshServer(login.username, login.password, {}, ['/bin/false']);
    const flood = await startFloodServer({ flood: Buffer.alloc(4096, 0x41) });
    closers.push(
      () => junk.stop(),
      () => noSftp.stop(),
      () => flood.close(),
    );
    const healthy = target(server.port, { ...login, info: 'notes.txt', expect: sha(notes) });
    const [endless, refused, flooded, ok] = await Promise.all([
      sftp(target(junk.port, login), { timeoutMs: 10_000 }),
      sftp(target(noSftp.port, login), { timeoutMs: 10_000 }),
      sftp(target(flood.port, login), { timeoutMs: 10_000 }),
      sftp(healthy, OPTIONS),
    ]);
    for (const result of [endless, refused]) {
      expect(result).toEqual({
        up: false,
        kind: 'content',
        message: 'sftp 127.0.0.1: .: SFTP did not start',
      });
    }
    expect(flooded).toEqual({
      up: false,
      kind: 'content',
      message: 'sftp 127.0.0.1: SSH protocol error: Header line too long',
    });
    expect(ok).toMatchObject({ up: true });
    expect(await flood.hungUp).toBeLessThanOrEqual(writtenBound(MAX_CONVERSATION_BYTES));
  });
});
