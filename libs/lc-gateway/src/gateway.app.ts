import { createPromiseClient, type ClientTls } from '@checkwire/grpc';
import { DESCRIBE_TTL_MS, LcApiClient, type LcApiClientOptions } from '@checkwire/lc-api';
import {
  callbackLimits,
  EXTENSION_REGISTRY_PREFIX,
  EXTENSION_TIMEOUT_MS,
  type CallbackLimits,
} from '@checkwire/lc-wire';
import {
  ContinuationServiceService,
  JobsServiceService,
  LcRegistryServiceService,
} from '@checkwire/proto';
import { CallbackProcessor } from './callback.js';
import type { ContinuationClient } from './extension-continuations.js';
import { ExtensionOrgs } from './extension-orgs.js';
import { ExtensionProcessor } from './extension-processor.js';
import { ExtensionRoute, type ExtensionConfig } from './extension-route.js';
import { InteractiveCalls } from './interactive.js';
import { GatewayHttpServer, type HttpCounters } from './http-server.js';
import { Route, type RouteConfig } from './route.js';

/**
 * The gateway's wiring, and the HTTP limits it puts on senders (each defaults to
 * `CALLBACK_LIMITS` of @checkwire/lc-wire, documented in libs/lc-gateway's README).
 */
export interface LcGatewayOptions extends Partial<CallbackLimits> {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** lcservice routes, `POST /<name>` (may be empty when there are extensions). */
  routes: RouteConfig[];
  /** LimaCharlie extensions, `POST /ext/<name>`. @default [] */
  extensions?: ExtensionConfig[];
  /** host:port of the Jobs service (needed when there are routes). */
  jobsAddress?: string;
  /** The gateway's own API token (lc_gateway) for the Jobs service and the scheduler. */
  token?: string;
  /**
   * host:port of the scheduler: told of installs and sensors, and of the orgs that subscribe to
   * extensions (none: not recorded), and storing extensions' continuations (none: an answer with
   * continuations is a retriable error).
   */
  schedulerAddress?: string;
  /** TLS towards Jobs, the scheduler and the handlers (none: plaintext). */
  clientTls?: ClientTls;
  /** A handler's time when the callback names no deadline. @default 60000 */
  defaultDeadlineMs?: number;
  /** Kept back from LimaCharlie's deadline for the answer's way back. @default 1000 */
  deadlineMarginMs?: number;
  /**
   * How long LimaCharlie waits for an extension's answer, from the message's arrival (less
   * deadlineMarginMs for the handler). @default EXTENSION_TIMEOUT_MS of @checkwire/lc-wire (120000)
   */
  extensionTimeoutMs?: number;
  /** How long a handler's Describe is trusted. @default DESCRIBE_TTL_MS of @checkwire/lc-api (30 s) */
  describeTtlMs?: number;
  /**
   * How long job changes taken for an answer stay leased: unconfirmed (the answer was never
   * written), they go out again after this. @default 60
   */
  jobLeaseSeconds?: number;
  /**
   * LimaCharlie's REST API, for interactive handlers (tasks, the D&R rule): `baseUrl` etc., each
   * defaulting to LC_API_DEFAULTS of @checkwire/lc-api (https://api.limacharlie.io).
   */
  lcApi?: LcApiClientOptions;
}

/**
 * The LimaCharlie gateway: signed HTTP callbacks in, LcHandlerService calls out; signed extension
 * messages in (`/ext/<name>`), LcExtensionService calls out.
 */
export class LcGatewayApp {
  private constructor(
    readonly url: string,
    private readonly http: GatewayHttpServer,
    private readonly routes: Route[],
    private readonly extensions: ExtensionRoute[],
    private readonly clients: { close(): void }[],
  ) {}

  static async start(options: LcGatewayOptions): Promise<LcGatewayApp> {
    const limits = callbackLimits(options);
    const extensionConfigs = options.extensions ?? [];
    checkNames(options.routes, extensionConfigs);
    const clientOptions = { token: options.token, tls: options.clientTls };
    const clients: { close(): void }[] = [];
    const describeTtlMs = options.describeTtlMs ?? DESCRIBE_TTL_MS;
    const deadlineMarginMs = options.deadlineMarginMs ?? 1000;
    let routes: Route[] = [];
    let processor: CallbackProcessor | undefined;
    // Told of installs and sensors of routes, and of the orgs of extensions (`ext/<name>`).
    const registry =
      options.schedulerAddress === undefined
        ? undefined
        : createPromiseClient(LcRegistryServiceService, options.schedulerAddress, clientOptions);
    if (registry !== undefined) clients.push(registry);
    if (options.routes.length > 0) {
      if (options.jobsAddress === undefined) throw new Error('routes need a jobsAddress');
      const jobs = createPromiseClient(JobsServiceService, options.jobsAddress, clientOptions);
      clients.push(jobs);
      routes = options.routes.map((r) => new Route(r, describeTtlMs, jobs, options.clientTls));
      // Ask every handler once now, so health has an answer even if a handler goes down soon.
      for (const r of routes) r.describe().catch(() => undefined);
      processor = new CallbackProcessor(
        jobs,
        {
          defaultDeadlineMs: options.defaultDeadlineMs ?? 60_000,
          deadlineMarginMs,
          jobLeaseSeconds: options.jobLeaseSeconds ?? 60,
        },
        new InteractiveCalls(new LcApiClient(options.lcApi)),
        registry,
      );
    }
    const extensions = extensionConfigs.map(
      (e) => new ExtensionRoute(e, describeTtlMs, options.clientTls),
    );
    for (const e of extensions) e.describe().catch(() => undefined);
    let continuations: ContinuationClient | undefined;
    if (extensions.length > 0 && options.schedulerAddress !== undefined) {
      continuations = createPromiseClient(
        ContinuationServiceService,
        options.schedulerAddress,
        clientOptions,
      );
      clients.push(continuations);
    }
    const extensionProcessor = new ExtensionProcessor(
      { timeoutMs: options.extensionTimeoutMs ?? EXTENSION_TIMEOUT_MS, deadlineMarginMs },
      continuations,
      registry === undefined || extensions.length === 0 ? undefined : new ExtensionOrgs(registry),
    );
    const http = new GatewayHttpServer(
      routes,
      processor,
      { host: options.host ?? '127.0.0.1', port: options.port ?? 0, ...limits },
      { routes: extensions, processor: extensionProcessor },
    );
    const url = await http.listen();
    return new LcGatewayApp(url, http, routes, extensions, clients);
  }

  /** How the HTTP server treated bodies that did not verify, and the body bytes it holds. */
  get counters(): HttpCounters {
    return this.http.counters;
  }

  async stop(): Promise<void> {
    await this.http.close();
    for (const r of this.routes) r.close();
    for (const e of this.extensions) e.close();
    for (const c of this.clients) c.close();
  }
}

/**
 * Refuses what the gateway cannot serve: no route nor extension, a name configured twice, and a
 * route named `ext/…`, whose path would be an extension's.
 */
function checkNames(routes: RouteConfig[], extensions: ExtensionConfig[]): void {
  if (routes.length === 0 && extensions.length === 0) {
    throw new Error('the gateway needs at least one route or extension');
  }
  for (const [what, names] of [
    ['route', routes.map((r) => r.name)],
    ['extension', extensions.map((e) => e.name)],
  ] as const) {
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) throw new Error(`${what} "${duplicate}" is configured twice`);
  }
  const clash = routes.find((r) => r.name.startsWith(EXTENSION_REGISTRY_PREFIX));
  if (clash !== undefined) {
    throw new Error(`route "${clash.name}" would take extension paths (/ext/…): rename it`);
  }
}
