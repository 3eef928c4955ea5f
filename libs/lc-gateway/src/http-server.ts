import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  canonicalBody,
  isSignatureShaped,
  SIGNATURE_HEADER,
  signatureMatches,
  startSignature,
  type CallbackLimits,
  type StreamingSignature,
} from '@checkwire/lc-wire';
import { createLogger } from '@checkwire/log';
import type { CallbackAnswer, CallbackProcessor } from './callback.js';
import { recordRefusal } from './callback-metrics.js';
import type { Route } from './route.js';

const LOG = createLogger('lc-gateway');

export interface HttpServerOptions extends CallbackLimits {
  host: string;
  port: number;
}

/** What the server did with bodies whose raw bytes did not verify, and what it holds now. */
export interface HttpCounters {
  /** Bodies within canonicalMaxBodyBytes, parsed and rendered canonically to check again. */
  readonly canonicalChecked: number;
  /** Bodies over canonicalMaxBodyBytes: 401 without being parsed or rendered. */
  readonly canonicalSkipped: number;
  /** Body bytes held now, across all requests. */
  readonly bodyBytesInFlight: number;
  /** Answers not written because the caller had gone (their job changes stay undelivered). */
  readonly answersUnsent: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: OutgoingHttpHeaders = {},
  ) {
    super(message);
  }
}

function send(
  res: ServerResponse,
  statusCode: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
  /** Called once the whole answer has been handed to the connection. */
  afterSent?: () => void,
  /** Called instead when the connection broke before that. */
  notSent?: () => void,
): void {
  const text = JSON.stringify(body);
  res.writeHead(statusCode, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  if (afterSent !== undefined) res.once('finish', afterSent);
  if (notSent !== undefined) res.once('close', () => res.writableFinished || notSent());
  res.end(text);
}

/** Body bytes held across all requests, against one limit. */
class BodyBudget {
  private held = 0;
  constructor(private readonly limit: number) {}

  get inFlight(): number {
    return this.held;
  }

  /** Holds `bytes` more if they fit; holds nothing otherwise. */
  take(bytes: number): boolean {
    if (this.held + bytes > this.limit) return false;
    this.held += bytes;
    return true;
  }

  give(bytes: number): void {
    this.held -= bytes;
  }
}

interface ReceivedBody {
  readonly size: number;
  bytes(): Buffer;
  /** Gives the body's bytes back to the budget (once; later calls do nothing). */
  release(): void;
}

/**
 * The body, under the per-request cap (413, by Content-Length or as the bytes pass it) and the
 * shared budget (503); `onChunk` sees every byte kept. Bytes after a refusal are read and dropped
 * (by `guardBodyRate`, which also ends a body that is too slow).
 */
function readBody(
  req: IncomingMessage,
  limit: number,
  budget: BodyBudget,
  onChunk: (chunk: Buffer) => void,
): Promise<ReceivedBody> {
  const tooLarge = () => new HttpError(413, `body larger than ${limit} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let held = 0;
    const release = () => {
      budget.give(held);
      held = 0;
    };
    // The socket, not the request: once an answer is out (408, 503), Node no longer tells the
    // request that its connection went.
    const cutShort = () => fail(new HttpError(400, 'the request was cut short'));
    const stop = () => {
      req.off('data', onData);
      req.socket.off('close', cutShort);
    };
    const fail = (err: HttpError) => {
      stop();
      chunks.length = 0;
      release();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      if (held + chunk.length > limit) return fail(tooLarge());
      if (!budget.take(chunk.length)) {
        return fail(
          new HttpError(503, 'too many body bytes in flight, retry later', { 'retry-after': '1' }),
        );
      }
      held += chunk.length;
      chunks.push(chunk);
      onChunk(chunk);
    };
    req.on('data', onData);
    req.socket.once('close', cutShort);
    req.once('end', () => {
      stop();
      const size = held;
      resolve({ size, bytes: () => Buffer.concat(chunks, size), release });
    });
  });
}

/**
 * Ends a request whose body arrives slower than `minBodyBytesPerSecond` on average once
 * `bodyGraceMs` have passed: 408 when nothing was answered yet, then the connection is closed.
 * It also reads (and drops) a body nobody else reads, e.g. after a 404 or a 413.
 */
function guardBodyRate(req: IncomingMessage, res: ServerResponse, limits: CallbackLimits): void {
  const start = Date.now();
  let received = 0;
  const check = () => {
    const due = start + limits.bodyGraceMs + (received * 1000) / limits.minBodyBytesPerSecond;
    if (due > Date.now()) {
      timer = setTimeout(check, due - Date.now());
    } else if (res.headersSent) {
      req.socket.destroy();
    } else {
      recordRefusal(408);
      send(res, 408, { error: 'request body too slow' }, { connection: 'close' });
    }
  };
  let timer = setTimeout(check, limits.bodyGraceMs);
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
}

/** 401; a refused sender gets no keep-alive connection to park. */
const unsigned = () =>
  new HttpError(401, `missing or bad ${SIGNATURE_HEADER} signature`, { connection: 'close' });

/** The route name a path `/<name>` gives ('' for a malformed escape: no route has that name). */
function routeName(path: string): string {
  try {
    return decodeURIComponent(path.slice(1));
  } catch {
    return '';
  }
}

/**
 * The body as JSON, or undefined when it is not JSON. Content-Type is not looked at (lcservice
 * 1.8.6 does not look either: `text/plain` or none is parsed the same).
 */
function parseJson(raw: Buffer): unknown {
  try {
    // Always UTF-8, whatever charset a Content-Type names: the header is not signed, the bytes are.
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The HTTP face LimaCharlie calls: POST a JSON body (any Content-Type, or none), signed in
 * `lc-svc-sig`, to `/<service>` (or to `/`, where the route is the one whose secret verifies); no
 * other path. A bad or missing signature is 401 before anything else looks at the body's content.
 */
export class GatewayHttpServer {
  private readonly server: Server;
  private readonly routes: Map<string, Route>;
  private readonly budget: BodyBudget;
  private canonicalChecked = 0;
  private canonicalSkipped = 0;
  private answersUnsent = 0;

  constructor(
    routes: Route[],
    private readonly processor: CallbackProcessor,
    private readonly options: HttpServerOptions,
  ) {
    this.routes = new Map(routes.map((r) => [r.name, r]));
    this.budget = new BodyBudget(options.maxBodyBytesInFlight);
    const timeouts = Math.min(options.headersTimeoutMs, options.requestTimeoutMs);
    this.server = createServer(
      {
        headersTimeout: options.headersTimeoutMs,
        requestTimeout: options.requestTimeoutMs,
        maxHeaderSize: options.maxHeaderBytes,
        // How often Node looks for requests past those timeouts (its default is every 30 s).
        connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(timeouts / 4))),
      },
      (req, res) => {
        guardBodyRate(req, res, options);
        this.handle(req, res).catch((err: unknown) => {
          const status = err instanceof HttpError ? err.status : 500;
          if (status === 500) LOG.failure('unexpected error', err);
          const message = err instanceof HttpError ? err.message : 'internal error';
          const headers = err instanceof HttpError ? err.headers : {};
          if (!res.headersSent && !res.destroyed) {
            if (status !== 500) recordRefusal(status);
            send(res, status, { error: message }, headers);
          }
        });
      },
    );
    this.server.keepAliveTimeout = options.keepAliveTimeoutMs;
    this.server.maxConnections = options.maxConnections;
  }

  get counters(): HttpCounters {
    return {
      canonicalChecked: this.canonicalChecked,
      canonicalSkipped: this.canonicalSkipped,
      bodyBytesInFlight: this.budget.inFlight,
      answersUnsent: this.answersUnsent,
    };
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
    const header = req.headers[SIGNATURE_HEADER];
    const given = Array.isArray(header) ? header[0] : header;
    const candidates = named === undefined ? [...this.routes.values()] : [named];
    // Each candidate's HMAC of the raw bytes (what LimaCharlie signs) grows as they arrive.
    const macs = isSignatureShaped(given)
      ? candidates.map((route) => ({ route, mac: startSignature(route.config.secret) }))
      : [];
    const raw = await readBody(req, this.options.maxBodyBytes, this.budget, (chunk) => {
      for (const { mac } of macs) mac.update(chunk);
    });
    try {
      const { body, afterSent, notSent } = await this.answer(raw, candidates, given, macs);
      // The caller went away (LimaCharlie gave up): nothing it did not get is confirmed.
      if (res.destroyed || res.socket === null || res.socket.destroyed) {
        this.answersUnsent++;
        notSent?.();
      } else {
        send(res, 200, body, {}, afterSent, notSent);
      }
    } finally {
      raw.release();
    }
  }

  /** The verified route's answer; 401 when no candidate's secret signed the body. */
  private async answer(
    raw: ReceivedBody,
    candidates: Route[],
    given: string | undefined,
    macs: { route: Route; mac: StreamingSignature }[],
  ): Promise<CallbackAnswer> {
    if (!isSignatureShaped(given)) throw unsigned();
    let route = macs.find(({ mac }) => mac.matches(given))?.route;
    let body: unknown;
    if (route === undefined) {
      // Then the canonical rendering (lcservice 1.8.0), parsed and rendered once for every
      // route, and only for a body small enough that parsing and sorting it costs little.
      if (raw.size > this.options.canonicalMaxBodyBytes) {
        this.canonicalSkipped++;
        throw unsigned();
      }
      this.canonicalChecked++;
      body = parseJson(raw.bytes());
      if (body === undefined) throw unsigned();
      const canonical = canonicalBody(body);
      route = candidates.find((r) => signatureMatches(r.config.secret, canonical, given));
      if (route === undefined) throw unsigned();
    } else {
      body = parseJson(raw.bytes());
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpError(400, 'body must be a JSON object');
    }
    return this.processor.process(route, body);
  }
}
