import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  canonicalBody,
  isSignatureShaped,
  SIGNATURE_HEADER,
  signatureMatches,
} from '@checkwire/lc-wire';
import type { CallbackProcessor } from './callback.js';
import type { Route } from './route.js';

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Larger bodies get 413 (lcservice's CherryPy caps them at 50 MB). */
  maxBodyBytes: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, statusCode: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(statusCode, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    return Promise.reject(new HttpError(413, `body larger than ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new HttpError(413, `body larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The route name a path `/<name>` gives ('' for a malformed escape: no route has that name). */
function routeName(path: string): string {
  try {
    return decodeURIComponent(path.slice(1));
  } catch {
    return '';
  }
}

/** The body as JSON, or undefined when it is not JSON. */
function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The HTTP face LimaCharlie calls: POST a JSON body, signed in `lc-svc-sig`, to `/<service>` (or
 * to `/`, where the route is the one whose secret verifies); no other path. A bad or missing
 * signature is 401 before anything else looks at the body's content.
 */
export class GatewayHttpServer {
  private readonly server: Server;
  private readonly routes: Map<string, Route>;

  constructor(
    routes: Route[],
    private readonly processor: CallbackProcessor,
    private readonly options: HttpServerOptions,
  ) {
    this.routes = new Map(routes.map((r) => [r.name, r]));
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        const status = err instanceof HttpError ? err.status : 500;
        if (status === 500) console.error('lc-gateway: unexpected error', err);
        const message = err instanceof HttpError ? err.message : 'internal error';
        if (!res.headersSent) send(res, status, { error: message });
        if (status === 413) req.resume();
      });
    });
    this.server.keepAliveTimeout = 65_000;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, resolve);
    });
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
    const named = path === '' ? undefined : this.routes.get(routeName(path));
    if (path !== '' && named === undefined) throw new HttpError(404, `no service at ${path}`);
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      throw new HttpError(405, 'only POST is accepted');
    }
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) {
      throw new HttpError(415, 'content-type must be application/json');
    }
    const raw = await readBody(req, this.options.maxBodyBytes);
    const header = req.headers[SIGNATURE_HEADER];
    const given = Array.isArray(header) ? header[0] : header;
    const candidates = named === undefined ? [...this.routes.values()] : [named];
    const unsigned = new HttpError(401, `missing or bad ${SIGNATURE_HEADER} signature`);
    if (!isSignatureShaped(given)) throw unsigned;
    // The raw bytes first (what LimaCharlie signs): no parsing, no rendering.
    let route = candidates.find((r) => signatureMatches(r.config.secret, raw, given));
    let body: unknown;
    if (route === undefined) {
      // Then the canonical rendering (lcservice 1.8.0), parsed and rendered once for every route.
      body = parseJson(raw);
      if (body === undefined) throw unsigned;
      const canonical = canonicalBody(body);
      route = candidates.find((r) => signatureMatches(r.config.secret, canonical, given));
      if (route === undefined) throw unsigned;
    } else {
      body = parseJson(raw);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpError(400, 'body must be a JSON object');
    }
    send(res, 200, await this.processor.process(route, body));
  }
}
