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
  private described: { at: number; value: Promise<DescribeResponse> } | undefined;
  /** The last Describe that succeeded: answered while the handler cannot be asked. */
  private lastGood: DescribeResponse | undefined;

  constructor(
    readonly config: RouteConfig,
    private readonly describeTtlMs: number,
    jobs: PromiseClient<typeof JobsServiceService>,
    tls?: ClientTls,
  ) {
    this.client = createPromiseClient(LcHandlerServiceService, config.handler, {
      tls,
      channelOptions: FOREIGN_SERVER_KEEPALIVE_OPTIONS,
      ...(config.token === undefined ? {} : { token: config.token }),
    });
    this.undelivered = new UndeliveredOrgs(jobs, config.name);
  }

  get name(): string {
    return this.config.name;
  }

  /**
   * The handler's declarations, cached for describeTtlMs. When asking fails, the last successful
   * answer stands in (for the TTL too); only a handler never described fails, and is asked again
   * at the next callback.
   */
  describe(): Promise<DescribeResponse> {
    const now = Date.now();
    if (this.described === undefined || now - this.described.at > this.describeTtlMs) {
      const value = this.client.describe({}, { deadlineMs: 5000 }).then(
        (d) => {
          this.lastGood = d;
          return d;
        },
        (err: unknown) => {
          // The stand-in is kept for the TTL like an answer: a handler that is down is not
          // asked again on every callback (each ask may wait its whole deadline).
          if (this.lastGood !== undefined) return this.lastGood;
          if (this.described?.value === value) this.described = undefined;
          throw err;
        },
      );
      this.described = { at: now, value };
    }
    return this.described.value;
  }

  close(): void {
    this.undelivered.stop();
    this.client.close();
  }
}
