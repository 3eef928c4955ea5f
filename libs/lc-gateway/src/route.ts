import {
  createPromiseClient,
  FOREIGN_SERVER_KEEPALIVE_OPTIONS,
  type ClientTls,
  type PromiseClient,
} from '@checkwire/grpc';
import {
  LcHandlerServiceService,
  type DescribeResponse,
  type JobsServiceService,
} from '@checkwire/proto';
import { CachedDescribe } from '@checkwire/lc-api';
import { UndeliveredOrgs } from './undelivered-orgs.js';

export interface RouteConfig {
  /** The service name: the path `/<name>` and the `service_name` of its jobs. */
  name: string;
  /** The origin secret LimaCharlie signs with. */
  secret: string;
  /** host:port of the handler's LcHandlerService. */
  handler: string;
  /**
   * Sent to the handler as `authorization: Bearer <token>` (the handler's shared token, e.g.
   * LC_HANDLER_TOKEN of apps/lc-example). None: no authorization header.
   */
  token?: string;
}

export type HandlerClient = PromiseClient<typeof LcHandlerServiceService>;

/** One handler service behind the gateway: its client, its declarations, its calls in flight. */
export class Route {
  readonly client: HandlerClient;
  readonly undelivered: UndeliveredOrgs;
  inProgress = 0;
  private readonly described: CachedDescribe<DescribeResponse>;

  constructor(
    readonly config: RouteConfig,
    describeTtlMs: number,
    jobs: PromiseClient<typeof JobsServiceService>,
    tls?: ClientTls,
  ) {
    this.client = createPromiseClient(LcHandlerServiceService, config.handler, {
      tls,
      channelOptions: FOREIGN_SERVER_KEEPALIVE_OPTIONS,
      ...(config.token === undefined ? {} : { token: config.token }),
    });
    this.undelivered = new UndeliveredOrgs(jobs, config.name);
    this.described = new CachedDescribe(
      () => this.client.describe({}, { deadlineMs: 5000 }),
      describeTtlMs,
    );
  }

  get name(): string {
    return this.config.name;
  }

  /** The handler's declarations, cached for describeTtlMs (see CachedDescribe). */
  describe(): Promise<DescribeResponse> {
    return this.described.get();
  }

  close(): void {
    this.undelivered.stop();
    this.client.close();
  }
}
