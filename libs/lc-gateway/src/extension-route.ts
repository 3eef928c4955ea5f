import {
  createPromiseClient,
  FOREIGN_SERVER_KEEPALIVE_OPTIONS,
  type ClientTls,
  type PromiseClient,
} from '@checkwire/grpc';
import { LcExtensionServiceService, type DescribeExtensionResponse } from '@checkwire/proto';
import { CachedDescribe } from '@checkwire/lc-api';

/** One LimaCharlie extension behind the gateway (an entry of LC_GATEWAY_EXTENSIONS). */
export interface ExtensionConfig {
  /** The extension's name: its path `/ext/<name>`, and its continuations' extension_name. */
  name: string;
  /** The secret LimaCharlie signs the extension's messages with (`lc-ext-sig`). */
  secret: string;
  /** host:port of the handler's LcExtensionService. */
  handler: string;
  /** Sent to the handler as `authorization: Bearer <token>`. None: no authorization header. */
  token?: string;
}

/** The path prefix of extension routes: `/ext/<name>` (lcservice routes cannot start with it). */
export const EXTENSION_PATH_PREFIX = '/ext/';

export type ExtensionClient = PromiseClient<typeof LcExtensionServiceService>;

/** One extension handler: its client and its declarations (cached like a route's Describe). */
export class ExtensionRoute {
  readonly client: ExtensionClient;
  private readonly described: CachedDescribe<DescribeExtensionResponse>;

  constructor(
    readonly config: ExtensionConfig,
    describeTtlMs: number,
    tls?: ClientTls,
  ) {
    this.client = createPromiseClient(LcExtensionServiceService, config.handler, {
      tls,
      channelOptions: FOREIGN_SERVER_KEEPALIVE_OPTIONS,
      ...(config.token === undefined ? {} : { token: config.token }),
    });
    this.described = new CachedDescribe(
      () => this.client.describeExtension({}, { deadlineMs: 5000 }),
      describeTtlMs,
    );
  }

  get name(): string {
    return this.config.name;
  }

  /** The extension's declarations, cached for describeTtlMs (see CachedDescribe). */
  describe(): Promise<DescribeExtensionResponse> {
    return this.described.get();
  }

  close(): void {
    this.client.close();
  }
}
