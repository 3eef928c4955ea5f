import { createPromiseClient, type ClientTls } from '@checkwire/grpc';
import { LcApiClient, type LcApiClientOptions } from '@checkwire/lc-api';
import { callbackLimits, type CallbackLimits } from '@checkwire/lc-wire';
import { JobsServiceService, LcRegistryServiceService } from '@checkwire/proto';
import { CallbackProcessor, type JobsClient, type RegistryClient } from './callback.js';
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
  routes: RouteConfig[];
  /** host:port of the Jobs service. */
  jobsAddress: string;
  /** The gateway's own API token (lc_gateway) for the Jobs service and the scheduler. */
  token?: string;
  /** host:port of the scheduler, told of installs and sensors (none: not recorded). */
  schedulerAddress?: string;
  /** TLS towards Jobs, the scheduler and the handlers (none: plaintext). */
  clientTls?: ClientTls;
  /** A handler's time when the callback names no deadline. @default 60000 */
  defaultDeadlineMs?: number;
  /** Kept back from LimaCharlie's deadline for the answer's way back. @default 1000 */
  deadlineMarginMs?: number;
  /** How long a handler's Describe is trusted. @default 30000 */
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

/** The LimaCharlie gateway: signed HTTP callbacks in, LcHandlerService calls out. */
export class LcGatewayApp {
  private constructor(
    readonly url: string,
    private readonly http: GatewayHttpServer,
    private readonly routes: Route[],
    private readonly jobs: JobsClient,
    private readonly registry: RegistryClient | undefined,
  ) {}

  static async start(options: LcGatewayOptions): Promise<LcGatewayApp> {
    const limits = callbackLimits(options);
    const names = options.routes.map((r) => r.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) throw new Error(`route "${duplicate}" is configured twice`);
    if (options.routes.length === 0) throw new Error('the gateway needs at least one route');
    const clientOptions = { token: options.token, tls: options.clientTls };
    const jobs = createPromiseClient(JobsServiceService, options.jobsAddress, clientOptions);
    const routes = options.routes.map(
      (r) => new Route(r, options.describeTtlMs ?? 30_000, jobs, options.clientTls),
    );
    // Ask every handler once now, so health has an answer even if a handler goes down soon.
    for (const r of routes) r.describe().catch(() => undefined);
    const registry =
      options.schedulerAddress === undefined
        ? undefined
        : createPromiseClient(LcRegistryServiceService, options.schedulerAddress, clientOptions);
    const processor = new CallbackProcessor(
      jobs,
      {
        defaultDeadlineMs: options.defaultDeadlineMs ?? 60_000,
        deadlineMarginMs: options.deadlineMarginMs ?? 1000,
        jobLeaseSeconds: options.jobLeaseSeconds ?? 60,
      },
      new InteractiveCalls(new LcApiClient(options.lcApi)),
      registry,
    );
    const http = new GatewayHttpServer(routes, processor, {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      ...limits,
    });
    const url = await http.listen();
    return new LcGatewayApp(url, http, routes, jobs, registry);
  }

  /** How the HTTP server treated bodies that did not verify, and the body bytes it holds. */
  get counters(): HttpCounters {
    return this.http.counters;
  }

  async stop(): Promise<void> {
    await this.http.close();
    for (const r of this.routes) r.close();
    this.jobs.close();
    this.registry?.close();
  }
}
