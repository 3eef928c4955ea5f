import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  canonicalBody,
  isJsonObject,
  isSignatureShaped,
  SIGNATURE_HEADER,
  signatureMatches,
  startSignature,
  type CallbackLimits,
  type StreamingSignature,
} from '@checkwire/lc-wire';
import { createLogger } from '@checkwire/log';
import type { CallbackAnswer, CallbackProcessor } from './callback.js';
import { BodyBudget } from './body-budget.js';
import { recordRefusal } from './callback-metrics.js';
import { ExtensionEndpoint } from './extension-endpoint.js';
import type { ExtensionProcessor } from './extension-processor.js';
import { EXTENSION_PATH_PREFIX, type ExtensionRoute } from './extension-route.js';
import { HttpError, send, unsigned } from './http-error.js';
import { parseJson } from './json-body.js';
import { guardBodyRate, readBody, type ReceivedBody } from './read-body.js';
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
  /** Body bytes of lcservice callbacks held now, across all requests. */
  readonly bodyBytesInFlight: number;
  /** Body bytes of extension messages held now (as they came and inflated), across all requests. */
  readonly extensionBytesInFlight: number;
  /** Answers not written because the caller had gone (their job changes stay undelivered). */
  readonly answersUnsent: number;
}

/** The route name a path `/<name>` gives ('' for a malformed escape: no route has that name). */
function routeName(path: string): string {
  try {
    return decodeURIComponent(path.slice(1));
  } catch {
    return '';
  }
}

/**
 * The HTTP face LimaCharlie calls: POST a JSON body (any Content-Type, or none), signed in
 * `lc-svc-sig`, to `/<service>` (or to `/`, where the route is the one whose secret verifies), or
 * an extension message signed in `lc-ext-sig` to `/ext/<extension>` (extension-endpoint.ts); no
 * other path. A bad or missing signature is 401 before anything else looks at the body's content.
 */
export class GatewayHttpServer {
  private readonly server: Server;
  private readonly routes: Map<string, Route>;
  private readonly budget: BodyBudget;
  private readonly extensionBudget: BodyBudget;
  private readonly extensions: ExtensionEndpoint | undefined;
  private canonicalChecked = 0;
  private canonicalSkipped = 0;
  private answersUnsent = 0;

  constructor(
    routes: Route[],
    /** None when there are no lcservice routes. */
    private readonly processor: CallbackProcessor | undefined,
    private readonly options: HttpServerOptions,
    extensions?: { routes: ExtensionRoute[]; processor: ExtensionProcessor },
  ) {
    this.routes = new Map(routes.map((r) => [r.name, r]));
    this.budget = new BodyBudget(options.maxBodyBytesInFlight);
    this.extensionBudget = new BodyBudget(options.maxExtensionBytesInFlight);
    this.extensions =
      extensions === undefined || extensions.routes.length === 0
        ? undefined
        : new ExtensionEndpoint(
            extensions.routes,
            extensions.processor,
            options,
            this.extensionBudget,
          );
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
          const known = err instanceof HttpError;
          if (!known) LOG.failure('unexpected error', err);
          const status = known ? err.status : 500;
          const body = known ? (err.body ?? { error: err.message }) : { error: 'internal error' };
          if (!res.headersSent && !res.destroyed) {
            if (known) recordRefusal(status);
            send(res, status, body, known ? err.headers : {});
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
      extensionBytesInFlight: this.extensionBudget.inFlight,
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
    if (this.extensions !== undefined && path.startsWith(EXTENSION_PATH_PREFIX)) {
      return this.extensions.handle(req, res, path.slice(EXTENSION_PATH_PREFIX.length));
    }
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
    if (!isSignatureShaped(given)) throw unsigned(SIGNATURE_HEADER);
    let route = macs.find(({ mac }) => mac.matches(given))?.route;
    let body: unknown;
    if (route === undefined) {
      // Then the canonical rendering (lcservice 1.8.0), parsed and rendered once for every
      // route, and only for a body small enough that parsing and sorting it costs little.
      if (raw.size > this.options.canonicalMaxBodyBytes) {
        this.canonicalSkipped++;
        throw unsigned(SIGNATURE_HEADER);
      }
      this.canonicalChecked++;
      body = parseJson(raw.chunks);
      if (body === undefined) throw unsigned(SIGNATURE_HEADER);
      const canonical = canonicalBody(body);
      route = candidates.find((r) => signatureMatches(r.config.secret, canonical, given));
      if (route === undefined) throw unsigned(SIGNATURE_HEADER);
    } else {
      body = parseJson(raw.chunks);
    }
    if (!isJsonObject(body)) {
      throw new HttpError(400, 'body must be a JSON object');
    }
    if (this.processor === undefined) throw unsigned(SIGNATURE_HEADER);
    return this.processor.process(route, body);
  }
}
