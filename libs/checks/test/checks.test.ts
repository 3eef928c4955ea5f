import { generateKeyPairSync } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server } from 'node:net';
import { Server as SshServer } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTlsFixtures } from '@checkwire/testing';
import { checkFor, hostOf, runCheck } from '../src/index.js';
import { startDovecot } from './daemons.js';
import { check, closedPort, listen, OPTIONS, portOf, target } from './helpers.js';
import { startFtpServer, startSmtpServer } from './mail-servers.js';

// Every built-in check against a real server on 127.0.0.1: Node's http/https/net servers, an SMTP
// server (smtp-server), an FTP server (ftp-srv), an SSH server (ssh2) and Dovecot (IMAP, POP3).
// Pass and fail cases both. dns (unbound), postgresql and mysql (MariaDB) have files of their own
// (test/dns.test.ts, test/sql.test.ts).

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe('tcp', () => {
  it('is up when the port accepts, down (connection) when refused', async () => {
    const s = await listen(createNetServer((c) => c.end()));
    closers.push(() => s.close());
    expect(await check('tcp')(target(portOf(s)), OPTIONS)).toMatchObject({ up: true });
    expect(await check('tcp')(target(await closedPort()), OPTIONS)).toMatchObject({
      up: false,
      kind: 'connection',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });
});

describe('http and https', () => {
  let port: number;
  let tlsPort: number;
  beforeAll(async () => {
    const handler = (req: { url?: string }, res: import('node:http').ServerResponse) => {
      if (req.url === '/broken') res.writeHead(500).end('oops');
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Team 7 shop</h1>');
    };
    const http = await listen(createHttpServer(handler) as unknown as Server);
    port = portOf(http);
    const tls = makeTlsFixtures();
    const https = await listen(
      createHttpsServer({ cert: tls.serverCert, key: tls.serverKey }, handler) as unknown as Server,
    );
    tlsPort = portOf(https);
    closers.push(
      () => http.close(),
      () => https.close(),
      () => tls.remove(),
    );
  });

  it('checks status and content', async () => {
    const url = `http://127.0.0.1:${port}/`;
    expect(await check('http')(target(port, { url, expect: 'Team 7' }), OPTIONS)).toMatchObject({
      up: true,
    });
    expect(await check('http')(target(port, { url, expect: 'Team 8' }), OPTIONS)).toMatchObject({
      up: false,
      kind: 'content',
    });
    expect(await check('http')(target(port, { url: `${url}broken` }), OPTIONS)).toMatchObject({
      up: false,
      kind: 'content',
      message: `${url}broken answered HTTP 500`,
    });
    expect(
      await check('http')(target(await closedPort(), { url: '127.0.0.1' }), OPTIONS),
    ).toMatchObject({
      up: false,
      kind: 'connection',
    });
  });

  it('speaks TLS to a self-signed server', async () => {
    expect(
      await check('https')(target(tlsPort, { url: '127.0.0.1', expect: 'shop' }), OPTIONS),
    ).toMatchObject({ up: true, message: `https://127.0.0.1:${tlsPort}/ answered HTTP 200` });
  });
});

describe('smtp', () => {
  let port: number;
  beforeAll(async () => {
    const server = await startSmtpServer();
    port = server.port;
    closers.push(() => server.close());
  });

  it('reads the banner, says EHLO, and logs in when given credentials', async () => {
    expect(await check('smtp')(target(port), OPTIONS)).toMatchObject({ up: true });
    expect(
      await check('smtp')(target(port, { username: 'alice', password: 'pw' }), OPTIONS),
    ).toMatchObject({
      up: true,
    });
    expect(
      await check('smtp')(target(port, { username: 'alice', password: 'no' }), OPTIONS),
    ).toMatchObject({
      up: false,
      kind: 'credentials',
    });
  });

  it('times out on a server that never speaks', async () => {
    const silent = await listen(createNetServer(() => undefined));
    closers.push(() => silent.close());
    expect(await check('smtp')(target(portOf(silent)), { timeoutMs: 300 })).toMatchObject({
      up: false,
      kind: 'timeout',
    });
  });
});

describe('ftp', () => {
  let port: number;
  beforeAll(async () => {
    const server = await startFtpServer();
    port = server.port;
    closers.push(() => server.close());
  });

  it('logs in, and reports refused credentials', async () => {
    expect(
      await check('ftp')(target(port, { username: 'bob', password: 'secret' }), OPTIONS),
    ).toEqual({
      up: true,
      message: 'ftp login accepted',
    });
    expect(
      await check('ftp')(target(port, { username: 'bob', password: 'nope' }), OPTIONS),
    ).toMatchObject({
      up: false,
      kind: 'credentials',
    });
  });

  it('never sends a password or user name that holds a line break', async () => {
    for (const t of [
      target(port, { username: 'bob', password: 'secret\r\nDELE important.txt' }),
      target(port, { username: 'bob\nSITE x', password: 'secret' }),
    ]) {
      expect(await check('ftp')(t, OPTIONS)).toEqual({
        up: false,
        kind: 'other',
        message: 'ftp 127.0.0.1: a command would hold a line break',
      });
    }
  });
});

describe('ssh', () => {
  let port: number;
  beforeAll(async () => {
    const { privateKey: hostKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    const server = new SshServer({ hostKeys: [hostKey] }, (client) => {
      client.on('authentication', (ctx) => {
        if (ctx.method === 'password' && ctx.username === 'carol' && ctx.password === 'pw1')
          ctx.accept();
        else ctx.reject(['password']);
      });
      client.on('ready', () => client.end());
      client.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
    closers.push(() => server.close());
  });

  it('logs in with a password, and reports a refused one', async () => {
    expect(
      await check('ssh')(target(port, { username: 'carol', password: 'pw1' }), OPTIONS),
    ).toMatchObject({
      up: true,
    });
    expect(
      await check('ssh')(target(port, { username: 'carol', password: 'bad' }), OPTIONS),
    ).toMatchObject({
      up: false,
      kind: 'credentials',
    });
  });
});

describe('timeouts', () => {
  // A server that accepts and never says a word (nor answers a request); a DNS server that
  // never answers. Each check must give up within its time limit and say so.
  let silentTcp: number;
  let silentUdp: number;
  beforeAll(async () => {
    const tcp = await listen(createNetServer(() => undefined));
    silentTcp = portOf(tcp);
    closers.push(() => tcp.close());
    const udp = createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    silentUdp = udp.address().port;
    closers.push(() => udp.close());
  });

  for (const protocol of ['http', 'https', 'ssh', 'ftp', 'imap', 'pop3', 'mysql', 'postgres']) {
    it(`${protocol} times out on a server that never answers`, async () => {
      const t = target(silentTcp, {
        url: `${protocol}://127.0.0.1:${silentTcp}/`,
        username: 'alice',
        password: 'pw',
      });
      // Ends by its own limit (kind timeout), not by the server, which never answers.
      expect(await check(protocol)(t, { timeoutMs: 300 })).toMatchObject({
        up: false,
        kind: 'timeout',
      });
    });
  }

  it('dns times out on a server that never answers', async () => {
    expect(
      await check('dns')(target(silentUdp, { info: 'www.team7.test' }), { timeoutMs: 300 }),
    ).toMatchObject({ up: false, kind: 'timeout' });
  });
});

describe('dispatch', () => {
  it('picks the check by protocol, then subtype, and fails unknown ones as "other"', async () => {
    expect(await runCheck('gopher', 'GOPHER', target(1), OPTIONS)).toEqual({
      up: false,
      kind: 'other',
      message: 'no built-in check for protocol "gopher" / subtype "GOPHER"',
    });
    expect(hostOf('http://10.1.2.3:8080/x')).toBe('10.1.2.3');
    expect(hostOf('10.1.2.3')).toBe('10.1.2.3');
    expect(hostOf('db.team7.test:5432')).toBe('db.team7.test');
  });

  it.each([
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '__defineGetter__',
  ])('knows no check "%s" (the table is no object with a prototype)', async (name) => {
    expect(checkFor(name, name)).toBeUndefined();
    expect(await runCheck(name, name, target(1), OPTIONS)).toEqual({
      up: false,
      kind: 'other',
      message: `no built-in check for protocol "${name}" / subtype "${name}"`,
    });
  });

  it('still finds a known check by subtype when the protocol is a prototype member', () => {
    expect(checkFor('constructor', 'SMTP')).toBe(check('smtp'));
  });
});

describe('imap and pop3 (dovecot)', () => {
  // One Dovecot each: it slows every login from an address after a failed one (auth penalty).
  it.each(['imap', 'pop3'] as const)(
    '%s: logs in, and reports refused credentials',
    async (protocol) => {
      const dovecot = await startDovecot('dave', 'pw2');
      closers.push(() => dovecot.stop());
      const port = dovecot.ports[protocol]!;
      expect(
        await check(protocol)(target(port, { username: 'dave', password: 'pw2' }), OPTIONS),
      ).toEqual({
        up: true,
        message: `${protocol} login accepted`,
      });
      expect(
        await check(protocol)(target(port, { username: 'dave', password: 'nope' }), OPTIONS),
      ).toMatchObject({
        up: false,
        kind: 'credentials',
      });
    },
  );
});
