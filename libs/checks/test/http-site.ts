import { readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { makeTlsFixtures } from '@checkwire/testing';
import { listen, portOf } from './helpers.js';

// A team's web site for the HTTP check's tests, on real Node http/https servers on loopback:
// a page, redirects, a form login and the page behind it, over plain HTTP and three TLS setups.

export const USER = 'alice';
/** Blanks, & and = : the form must encode it. */
export const PASSWORD = 'pa55 w0rd&=secret';
export const SESSION = 'sid=s3ss10n';

export interface Site {
  port: number;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** A certificate signed by the test's CA, for 127.0.0.1 and localhost. */
  tlsPort: number;
  /** The same certificate on 127.0.0.2 (not one of its names). */
  otherIpPort: number;
  /** A self-signed certificate (the CA's own). */
  selfSignedPort: number;
  /** The test CA's certificate (PEM), for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** What the site last saw: `login method`, `login type`, `login body`, `dashboard cookie`. */
  seen: Map<string, string>;
  close(): Promise<void>;
}

export async function startSite(): Promise<Site> {
  const seen = new Map<string, string>();
  let port = 0;
  const handler = (req: IncomingMessage, res: ServerResponse) => site(req, res, seen, port);
  const server = await listen(createHttpServer(handler));
  port = portOf(server);
  const tls = makeTlsFixtures();
  const serve = (cert: Buffer, key: Buffer) => createHttpsServer({ cert, key }, handler);
  const signed = await listen(serve(tls.serverCert, tls.serverKey));
  const otherIp = serve(tls.serverCert, tls.serverKey);
  await new Promise<void>((r) => otherIp.listen(0, '127.0.0.2', () => r()));
  const selfSigned = await listen(serve(tls.ca, readFileSync(join(tls.dir, 'ca.key'))));
  const servers: Server[] = [server, signed, otherIp, selfSigned];
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    tlsPort: portOf(signed),
    otherIpPort: portOf(otherIp),
    selfSignedPort: portOf(selfSigned),
    caFile: join(tls.dir, 'ca.pem'),
    seen,
    close: async () => {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise((r) => s.close(r));
      }
      tls.remove();
    },
  };
}

/** The team's site: a page, redirects, a form login and the page behind it. */
function site(
  req: IncomingMessage,
  res: ServerResponse,
  seen: Map<string, string>,
  port: number,
): void {
  const url = new URL(req.url ?? '/', 'http://site');
  const hop = /^\/hop\/(\d+)$/.exec(url.pathname);
  if (hop !== null) {
    const n = Number(hop[1]);
    res.writeHead(302, { location: n === 0 ? '/' : `/hop/${n - 1}` }).end();
  } else if (url.pathname === '/loop') res.writeHead(301, { location: '/loop' }).end();
  else if (url.pathname === '/to')
    res.writeHead(302, { location: url.searchParams.get('u') ?? '/' }).end();
  else if (url.pathname === '/created') res.writeHead(201).end('made');
  else if (url.pathname === '/missing') res.writeHead(404).end('no such page');
  else if (url.pathname === '/cookie-then-redirect')
    res.writeHead(302, { location: '/dashboard', 'set-cookie': `${SESSION}; Path=/` }).end();
  else if (url.pathname.startsWith('/login')) login(req, res, url, seen, port);
  else if (url.pathname === '/dashboard') {
    seen.set('dashboard cookie', req.headers.cookie ?? '');
    if ((req.headers.cookie ?? '').split('; ').includes(SESSION))
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<p>Welcome ${USER}, Team 7</p>`);
    else res.writeHead(302, { location: '/sign-in' }).end();
  } else if (url.pathname === '/sign-in') res.writeHead(200).end('<form>please log in</form>');
  else
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-team': 'team 7' })
      .end('<h1>Team 7 shop</h1>');
}

/**
 * POST /login: 303 to the dashboard with a session cookie, or 401 echoing the form (hostile);
 * /login-to?u=<url> answers 307 to that url.
 */
function login(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  seen: Map<string, string>,
  port: number,
) {
  const path = url.pathname;
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body = (body + chunk).slice(0, 4096)));
  req.on('end', () => {
    seen.set('login method', req.method ?? '');
    seen.set('login type', req.headers['content-type'] ?? '');
    seen.set('login body', body);
    const form = new URLSearchParams(body);
    const right =
      form.get('user') === USER && form.get('pass') === PASSWORD && form.get('csrf') === 'x1';
    if (path === '/login-forbidden') res.writeHead(403).end();
    else if (path === '/login-broken') res.writeHead(500).end();
    else if (path === '/login-elsewhere')
      res.writeHead(307, { location: `http://localhost:${port}/login` }).end();
    else if (path === '/login-to')
      res.writeHead(307, { location: url.searchParams.get('u')! }).end();
    else if (!right) res.writeHead(401).end(`wrong password: ${form.get('pass') ?? ''}`);
    else
      res
        .writeHead(303, {
          location: '/dashboard',
          'set-cookie': [`${SESSION}; Path=/; HttpOnly`, 'theme=dark; Path=/other'],
        })
        .end();
  });
}
