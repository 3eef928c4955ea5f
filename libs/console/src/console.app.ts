import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { ClientTls } from '@checkwire/grpc';
import { createLogger, type Logger } from '@checkwire/log';
import { Backend } from './backend.js';
import type { ConsoleDeps, ConsoleEnv } from './console-env.js';
import { HttpError, httpErrorOf } from './http-errors.js';
import { adminRoutes } from './admin.routes.js';
import { directoryRoutes } from './directory.routes.js';
import { jobsRoutes } from './jobs.routes.js';
import { operationsRoutes } from './operations.routes.js';
import { readRoutes } from './read.routes.js';
import { requestGuard } from './request-guard.js';
import { sessionRoutes } from './session.routes.js';
import { SessionStore } from './sessions.js';
import { statusRoutes } from './status.routes.js';
import { StreamSlots } from './stream-slots.js';
import { httpMetrics } from './http-metrics.js';

export interface ConsoleOptions {
  /** The scoring server (host:port). */
  scoringAddress: string;
  /** TLS towards the gRPC servers, when they speak it. */
  clientTls?: ClientTls | undefined;
  /** The Jobs server (host:port), for the LimaCharlie jobs pages. */
  jobsAddress?: string | undefined;
  /** @default 127.0.0.1 */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** The built front end (index.html and assets/). */
  staticDir: string;
  /** Jaeger's UI, for links from an error to its check's trace. */
  jaegerUrl?: string | undefined;
  /** Mark cookies Secure (the console is reached over HTTPS). @default false */
  secureCookies?: boolean;
  /** Live pages per browser, and in all. @default 8 and 2000 */
  streamsPerBrowser?: number;
  streamsOverall?: number;
  log?: Logger;
}

/** API request bodies are a token or a small form: anything larger is refused unread. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * The web console: a backend for the browser (sign-in, JSON, Server-Sent Events) over the gRPC
 * servers, and the built front end. It holds no data of its own but sessions; every call it
 * makes carries the signed-in person's token, and the servers decide what they may see and do.
 */
export class ConsoleApp {
  private constructor(
    private readonly server: ServerType,
    private readonly backend: Backend,
    readonly address: string,
  ) {}

  static async start(options: ConsoleOptions): Promise<ConsoleApp> {
    const log = options.log ?? createLogger('console');
    const backend = new Backend({
      scoringAddress: options.scoringAddress,
      jobsAddress: options.jobsAddress,
      tls: options.clientTls,
    });
    const deps: ConsoleDeps = {
      backend,
      sessions: new SessionStore(),
      slots: new StreamSlots(options.streamsPerBrowser ?? 8, options.streamsOverall ?? 2000),
      log,
      jaegerUrl: options.jaegerUrl || undefined,
      secureCookies: options.secureCookies ?? false,
    };
    const app = buildApp(deps, options.staticDir);
    const server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve(
        { fetch: app.fetch, hostname: options.host ?? '127.0.0.1', port: options.port ?? 0 },
        () => resolve(s),
      );
      s.once('error', reject);
    });
    const { address, port } = server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    return new ConsoleApp(server, backend, `http://${host}:${port}`);
  }

  async stop(): Promise<void> {
    // Live pages hold their responses open: end them, then wait for the listener to close.
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    if ('closeAllConnections' in this.server) this.server.closeAllConnections();
    await closing;
    this.backend.close();
  }
}

function buildApp(deps: ConsoleDeps, staticDir: string): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // Mantine sets style attributes; no inline script is allowed.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
      },
    }),
  );
  // For probes: the console is up (it holds no connection of its own to wait for).
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.use('/api/*', httpMetrics());
  app.use('/api/*', requestGuard(deps));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new HttpError(413, `request bodies are limited to ${MAX_BODY_BYTES / 1024} KiB`);
      },
    }),
  );
  app.route('/api/session', sessionRoutes(deps));
  app.route('/api/status', statusRoutes(deps));
  app.route('/api/jobs', jobsRoutes(deps));
  app.route('/api', adminRoutes(deps));
  app.route('/api', operationsRoutes(deps));
  app.route('/api', directoryRoutes(deps));
  app.route('/api', readRoutes(deps));
  app.all('/api/*', (c) => c.json({ error: `no such API: ${c.req.method} ${c.req.path}` }, 404));

  app.onError((err, c) => {
    const { status, message } = httpErrorOf(err);
    const session = c.get('session');
    // The token was revoked (or the scoring server no longer knows it): sign this browser out.
    if (status === 401 && session !== undefined) deps.sessions.delete(session.id);
    if (status === 502)
      deps.log.error(`console: ${c.req.method} ${c.req.path} failed`, { err: String(err) });
    return c.json({ error: message }, status as 400);
  });

  app.use('/*', serveStatic({ root: staticDir }));
  // Any other page is the front end's to route.
  const index = join(staticDir, 'index.html');
  app.get('*', (c) => {
    if (!existsSync(index)) {
      return c.text(`The console's front end is not built (no ${index}): run npm run build.`, 503);
    }
    return c.html(readFileSync(index, 'utf8'));
  });
  return app;
}
