import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integer, octets, tlv } from '../src/ber.js';
import { MAX_CONVERSATION_BYTES } from '../src/index.js';
import { startSlapd, type Slapd } from './directory-daemons.js';
import { startFloodServer, writtenBound, type FloodOptions } from './flood-server.js';
import {
  answerOnceServer,
  check,
  closedPort,
  OPTIONS,
  silentTcpServer,
  target,
} from './helpers.js';

// The ldap and ldaps checks against OpenLDAP's slapd (a generated slapd.conf, a self-signed
// certificate), a closed port, a silent server and hostile ones beside a healthy check.

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const ldap = check('ldap');
const ldaps = check('ldaps');
const erin = { username: 'uid=erin,ou=people,dc=team7,dc=test', password: 'erin pw' };
let slapd: Slapd;

const LDIF = `dn: dc=team7,dc=test
objectClass: dcObject
objectClass: organization
dc: team7
o: Team 7

dn: ou=people,dc=team7,dc=test
objectClass: organizationalUnit
ou: people

dn: uid=erin,ou=people,dc=team7,dc=test
objectClass: inetOrgPerson
uid: erin
cn: Erin
sn: Team 7 admin
userPassword: ${erin.password}

dn: ou=public,dc=team7,dc=test
objectClass: organizationalUnit
ou: public
description: Team 7 directory
`;

// Users read everything; anonymous binds read only ou=public.
const ACL = `access to attrs=userPassword by self read by anonymous auth by * none
access to dn.subtree="ou=public,dc=team7,dc=test" by * read
access to * by users read by anonymous auth`;

beforeAll(async () => {
  slapd = await startSlapd('admin pw', LDIF, ACL);
  closers.push(() => slapd.stop());
});

/** A TLS 1.2 handshake record of 4096 empty HelloRequest messages (type 0, length 0). */
const HELLO_REQUESTS = Buffer.concat([Buffer.from([0x16, 3, 3, 0x40, 0]), Buffer.alloc(0x4000)]);

const message = (id: number, op: Buffer) => tlv(0x30, integer(id), op);

describe('ldap and ldaps', () => {
  it('binds as a user or anonymously, and finds entries with the expected text', async () => {
    const t = target(slapd.ports.ldap!, { ...erin, info: 'ou=people,dc=team7,dc=test?(uid=erin)' });
    expect(await ldap(t, OPTIONS)).toMatchObject({
      up: true,
      message: 'ldap 127.0.0.1: 1 entry under ou=people,dc=team7,dc=test (uid=erin)',
    });
    expect(
      await ldaps(
        { ...t, port: slapd.ports.ldaps!, info: 'dc=team7,dc=test', expect: 'Team 7 admin' },
        OPTIONS,
      ),
    ).toMatchObject({
      up: true,
      message:
        'ldaps 127.0.0.1: 4 entries under dc=team7,dc=test (objectClass=*) with the expected text',
    });
    const anonymous = target(slapd.ports.ldap!, {
      info: 'ou=public,dc=team7,dc=test',
      expect: 'directory',
    });
    expect(await ldap(anonymous, OPTIONS)).toMatchObject({
      up: true,
      message:
        'ldap 127.0.0.1: 1 entry under ou=public,dc=team7,dc=test (objectClass=*) with the expected text',
    });
    const admin = { username: 'cn=admin,dc=team7,dc=test', password: 'admin pw' };
    expect(
      await ldap(
        { ...t, ...admin, info: 'dc=team7,dc=test?(&(objectClass=inetOrgPerson)(cn=E*))' },
        OPTIONS,
      ),
    ).toMatchObject({ up: true });
  });

  it('reports wrong credentials and refused reads as credentials', async () => {
    const t = target(slapd.ports.ldap!, { ...erin, password: 'wrong', info: 'dc=team7,dc=test' });
    const wrong = await ldap(t, OPTIONS);
    expect(wrong).toEqual({
      up: false,
      kind: 'credentials',
      message:
        'ldap 127.0.0.1: bind as uid=erin,ou=people,dc=team7,dc=test refused: invalidCredentials (49)',
    });
    expect(wrong.message).not.toContain('wrong');
    // A server that echoes the password in its diagnostic text: masked.
    const echo = await answerOnceServer(
      message(1, tlv(0x61, tlv(0x0a, Buffer.from([49])), octets(''), octets('bad s3cret pw'))),
    );
    closers.push(() => echo.close());
    expect(await ldap(target(echo.port, { ...erin, password: 's3cret pw' }), OPTIONS)).toEqual({
      up: false,
      kind: 'credentials',
      message: `ldap 127.0.0.1: bind as ${erin.username} refused: invalidCredentials (49) bad ***`,
    });
    expect(await ldaps({ ...t, port: slapd.ports.ldaps! }, OPTIONS)).toMatchObject({
      kind: 'credentials',
    });
    // Anonymous may not read ou=people: slapd refuses the search on its base.
    expect(
      await ldap(target(slapd.ports.ldap!, { info: 'ou=people,dc=team7,dc=test' }), OPTIONS),
    ).toEqual({
      up: false,
      kind: 'credentials',
      message:
        'ldap 127.0.0.1: search of ou=people,dc=team7,dc=test refused: insufficientAccessRights (50)',
    });
  });

  it('reports no entry, a missing base and missing text as content, a bad filter as other', async () => {
    const t = target(slapd.ports.ldap!, {
      ...erin,
      info: 'ou=people,dc=team7,dc=test?(uid=frank)',
    });
    expect(await ldap(t, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'ldap 127.0.0.1: no entry under ou=people,dc=team7,dc=test (uid=frank)',
    });
    expect(await ldap({ ...t, info: 'ou=gone,dc=team7,dc=test' }, OPTIONS)).toEqual({
      up: false,
      kind: 'content',
      message: 'ldap 127.0.0.1: search of ou=gone,dc=team7,dc=test refused: noSuchObject (32)',
    });
    expect(
      await ldap({ ...t, info: 'dc=team7,dc=test?(uid=erin)', expect: 'Team 9' }, OPTIONS),
    ).toEqual({
      up: false,
      kind: 'content',
      message: 'ldap 127.0.0.1: no entry under dc=team7,dc=test (uid=erin) holds the expected text',
      detail: 'expected: Team 9',
    });
    expect(await ldap({ ...t, info: 'dc=team7,dc=test?(uid=erin' }, OPTIONS)).toEqual({
      up: false,
      kind: 'other',
      message: 'ldap 127.0.0.1: bad filter: a filter without its )',
    });
  });

  it('reports a refused connection and a server that never answers', async () => {
    for (const [c, name] of [
      [ldap, 'ldap'],
      [ldaps, 'ldaps'],
    ] as const) {
      expect(await c(target(await closedPort(), erin), OPTIONS)).toMatchObject({
        up: false,
        kind: 'connection',
        message: `${name} 127.0.0.1: ECONNREFUSED`,
      });
      const silent = await silentTcpServer();
      closers.push(() => silent.close());
      expect(await c(target(silent.port, erin), { timeoutMs: 300 })).toEqual({
        up: false,
        kind: 'timeout',
        message: `${name} 127.0.0.1: timed out`,
      });
    }
  });

  const result = (tag: number, code: number) =>
    tlv(tag, tlv(0x0a, Buffer.from([code])), octets(''), octets(''));
  const entry = message(
    2,
    tlv(
      0x64,
      octets('cn=x'),
      tlv(0x30, tlv(0x30, octets('cn'), tlv(0x31, octets('x'.repeat(1000))))),
    ),
  );
  const hostile: { name: string; server: FloodOptions; message: string; limitBytes: number }[] = [
    {
      name: 'endless entries',
      server: { waitForClient: true, preamble: message(1, result(0x61, 0)), flood: entry },
      message: `ldap 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
      limitBytes: MAX_CONVERSATION_BYTES,
    },
    {
      name: 'a message of 2 GB',
      server: {
        waitForClient: true,
        preamble: Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]),
        flood: 'a',
      },
      message: `ldap 127.0.0.1: a message of 2147483647 bytes (more than ${MAX_CONVERSATION_BYTES})`,
      limitBytes: 0,
    },
    {
      name: 'no BER at all',
      server: { flood: 'garbage\r\n' },
      message: 'ldap 127.0.0.1: not a BER SEQUENCE',
      limitBytes: 0,
    },
    {
      name: 'a BindResponse without its fields, again and again',
      server: { waitForClient: true, flood: message(1, tlv(0x61)) },
      message: 'ldap 127.0.0.1: BER: truncated element',
      limitBytes: 0,
    },
  ];

  it('fails hostile servers as content and hangs up, while a healthy check beside them passes', async () => {
    const floods = await Promise.all(hostile.map((h) => startFloodServer(h.server)));
    const plain = await startFloodServer({ flood: 'not TLS\r\n' });
    // TLS records of empty HelloRequests without end, which OpenSSL skips while it waits.
    const records = await startFloodServer({ waitForClient: true, flood: HELLO_REQUESTS });
    closers.push(
      () => plain.close(),
      () => records.close(),
    );
    for (const f of floods) closers.push(() => f.close());
    const healthy = target(slapd.ports.ldaps!, {
      ...erin,
      info: 'dc=team7,dc=test',
      expect: 'Team 7',
    });
    const [results, tls, endlessTls, ok] = await Promise.all([
      Promise.all(floods.map((f) => ldap(target(f.port, erin), { timeoutMs: 10_000 }))),
      ldaps(target(plain.port, erin), { timeoutMs: 10_000 }),
      ldaps(target(records.port, erin), { timeoutMs: 10_000 }),
      ldaps(healthy, OPTIONS),
    ]);
    expect(results).toEqual(
      hostile.map((h) => ({ up: false, kind: 'content', message: h.message })),
    );
    expect(tls).toEqual({
      up: false,
      kind: 'content',
      message: expect.stringMatching(/^ldaps 127\.0\.0\.1: TLS handshake failed \(ERR_SSL_/),
    });
    expect(endlessTls).toEqual({
      up: false,
      kind: 'content',
      message: `ldaps 127.0.0.1: more than ${MAX_CONVERSATION_BYTES} bytes in one conversation`,
    });
    expect(await records.hungUp).toBeLessThanOrEqual(writtenBound(MAX_CONVERSATION_BYTES));
    expect(ok).toMatchObject({ up: true });
    for (const [i, h] of hostile.entries()) {
      expect(await floods[i]!.hungUp).toBeLessThanOrEqual(writtenBound(h.limitBytes));
    }
  });
});
