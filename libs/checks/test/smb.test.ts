import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONVERSATION_BYTES } from '../src/index.js';
import type { Daemon } from './daemons.js';
import { startSmbd } from './directory-daemons.js';
import { startFloodServer, writtenBound } from './flood-server.js';
import {
  answerOnceServer,
  check,
  closedPort,
  OPTIONS,
  silentTcpServer,
  target,
} from './helpers.js';

// The smb check (smbclient) against Samba's smbd serving a scratch folder, a closed port, a
// silent server and hostile ones beside a healthy check.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const smb = check('smb');
const login = { username: 'frank', password: 'frank pw' };
const readme = 'Team 7 share\n';
const readProc = (path: string) => {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return '';
  }
};
const sha = (s: string | Buffer) => `sha256:${createHash('sha256').update(s).digest('hex')}`;
let server: Daemon;
let port: number;

beforeAll(async () => {
  server = await startSmbd(login.username, login.password, {
    'readme.txt': readme,
    'docs/a.txt': 'doc a\n',
    'big.bin': Buffer.alloc(MAX_CONVERSATION_BYTES + 1, 7),
  });
  closers.push(() => server.stop());
  port = server.ports.smb!;
});

describe('smb', () => {
  it('lists a share or a folder in it, and reads a file by text or by hash', async () => {
    const t = target(port, { ...login, info: 'share' });
    expect(await smb(t, OPTIONS)).toMatchObject({
      up: true,
      message: 'smb 127.0.0.1: listed share (3 entries)',
    });
    expect(await smb({ ...t, info: 'share/docs', expect: 'a.txt' }, OPTIONS)).toMatchObject({
      up: true,
      message: 'smb 127.0.0.1: listed share/docs (1 entries) with the expected text',
    });
    expect(await smb({ ...t, info: 'share/readme.txt', expect: 'Team 7' }, OPTIONS)).toMatchObject({
      up: true,
      message: 'smb 127.0.0.1: read share/readme.txt (13 bytes) with the expected text',
    });
    expect(
      await smb({ ...t, info: 'share/readme.txt', expect: sha(readme) }, OPTIONS),
    ).toMatchObject({
      up: true,
      message: 'smb 127.0.0.1: read share/readme.txt (13 bytes) with the expected sha256',
    });
  });

  it('reports a refused password, never in a message', async () => {
    const wrong = await smb(
      target(port, { ...login, password: 'wrong pw', info: 'share' }),
      OPTIONS,
    );
    expect(wrong).toEqual({
      up: false,
      kind: 'credentials',
      message: 'smb 127.0.0.1: NT_STATUS_LOGON_FAILURE',
    });
  });

  it('reports a missing share or file, other content and a file past the limit as content', async () => {
    const t = target(port, { ...login, info: 'share/readme.txt' });
    expect(await smb({ ...t, info: 'nope' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'smb 127.0.0.1: NT_STATUS_BAD_NETWORK_NAME',
    });
    expect(await smb({ ...t, info: 'share/gone.txt' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'smb 127.0.0.1: NT_STATUS_OBJECT_NAME_NOT_FOUND',
    });
    expect(await smb({ ...t, expect: 'Team 9' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'smb 127.0.0.1: share/readme.txt (13 bytes) does not contain the expected text',
      detail: 'expected: Team 9',
    });
    expect(await smb({ ...t, expect: sha('other') }, OPTIONS)).toMatchObject({
      up: false,
      kind: 'content',
      message: 'smb 127.0.0.1: share/readme.txt (13 bytes) does not have the expected sha256',
    });
    expect(await smb({ ...t, info: 'share/big.bin' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      // The relay's meter stops it first (the file and SMB's framing).
      message: `smb 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
    });
  });

  it('refuses what smbclient would read as more than one argument or command', async () => {
    for (const info of ['', 'share/a";!id', 'share/a;b', 'share/a\nb']) {
      expect(await smb(target(port, { ...login, info }), OPTIONS)).toEqual({
        up: false,
        kind: 'other',
        message: 'smb 127.0.0.1: not a share (or share/path)',
      });
    }
    const t = target(port, { username: 'frank', password: 'pw\nusername = root', info: 'share' });
    expect(await smb(t, OPTIONS)).toEqual({
      up: false,
      kind: 'other',
      message: 'smb 127.0.0.1: a user name or password with a line break',
    });
    expect(await smb({ ...t, password: ' leading blank' }, OPTIONS)).toEqual({
      up: false,
      kind: 'other',
      message: 'smb 127.0.0.1: smbclient cannot take a password that begins with a blank',
    });
  });

  it('gives smbclient the password in a private file only, never in its arguments or environment', async () => {
    const silent = await silentTcpServer();
    closers.push(() => silent.close());
    const secret = 'pw-in-no-argument';
    const running = smb(
      target(silent.port, { username: 'frank', password: secret, info: 'share' }),
      { timeoutMs: 3000 },
    );
    let settled = false;
    void running.then(() => (settled = true));
    // The smbclient this check started (its arguments name the share through the relay).
    let seen: { args: string; env: string; auth: string } | undefined;
    while (seen === undefined && !settled) {
      for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
        const args = readProc(`/proc/${pid}/cmdline`);
        if (!args.startsWith('/usr/bin/smbclient\0')) continue;
        const authPath = args.split('\0')[args.split('\0').indexOf('-A') + 1]!;
        const mode = statSync(authPath).mode & 0o777;
        const dirMode = statSync(dirname(authPath)).mode & 0o777;
        seen = {
          args,
          env: readProc(`/proc/${pid}/environ`),
          auth: `${mode.toString(8)} ${dirMode.toString(8)}`,
        };
      }
      await new Promise((r) => setImmediate(r));
    }
    expect(seen).toBeDefined();
    expect(seen!.args).not.toContain(secret);
    expect(seen!.env).not.toContain(secret);
    expect(seen!.auth).toBe('600 700');
    expect(await running).toEqual({
      up: false,
      kind: 'timeout',
      message: 'smb 127.0.0.1: timed out',
    });
  });

  it('reports a refused connection and a server that never answers', async () => {
    expect(
      await smb(target(await closedPort(), { ...login, info: 'share' }), OPTIONS),
    ).toMatchObject({
      up: false,
      kind: 'connection',
      message: 'smb 127.0.0.1: ECONNREFUSED',
    });
    const silent = await silentTcpServer();
    closers.push(() => silent.close());
    expect(await smb(target(silent.port, { ...login, info: 'share' }), { timeoutMs: 500 })).toEqual(
      {
        up: false,
        kind: 'timeout',
        message: 'smb 127.0.0.1: timed out',
      },
    );
  });

  it('fails hostile servers, while a healthy check beside them passes', async () => {
    const garbage = await startFloodServer({ waitForClient: true, flood: 'garbage\r\n' });
    // A NetBIOS session message announcing 16 MiB, then endless bytes.
    const huge = await startFloodServer({
      waitForClient: true,
      preamble: Buffer.from([0, 0xff, 0xff, 0xff]),
      flood: Buffer.alloc(4096, 0xfe),
    });
    // A short answer that is no SMB at all, then silence.
    const malformed = await answerOnceServer(Buffer.from([0, 0, 0, 4, 0xfe, 0x53, 0x4d, 0x42]));
    closers.push(
      () => garbage.close(),
      () => huge.close(),
      () => malformed.close(),
    );
    const t = { ...login, info: 'share' };
    const [a, b, c, ok] = await Promise.all([
      smb(target(garbage.port, t), { timeoutMs: 10_000 }),
      smb(target(huge.port, t), { timeoutMs: 10_000 }),
      smb(target(malformed.port, t), { timeoutMs: 10_000 }),
      smb(target(port, { ...t, info: 'share/readme.txt', expect: 'Team 7' }), OPTIONS),
    ]);
    const limit = `smb 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`;
    expect([a, b]).toEqual([a, b].map(() => ({ up: false, kind: 'content', message: limit })));
    expect(c).toEqual({
      up: false,
      kind: 'content',
      message: 'smb 127.0.0.1: NT_STATUS_INVALID_NETWORK_RESPONSE',
    });
    expect(ok).toMatchObject({ up: true });
    expect(await garbage.hungUp).toBeLessThanOrEqual(writtenBound(MAX_CONVERSATION_BYTES));
    expect(await huge.hungUp).toBeLessThanOrEqual(writtenBound(MAX_CONVERSATION_BYTES));
  });
});
