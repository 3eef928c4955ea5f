import {
  createPromiseClient,
  type CallOptions,
  type ClientTls,
  type PromiseClient,
} from '@checkwire/grpc';
import {
  AdjustmentServiceService,
  AdminServiceService,
  PasswordChangeServiceService,
  JobsServiceService,
  ScoreboardServiceService,
  StatusServiceService,
  TokenServiceService,
} from '@checkwire/proto';

export interface BackendOptions {
  /** The scoring server (host:port). */
  scoringAddress: string;
  /** The Jobs server (host:port): LimaCharlie jobs. Unset: the jobs pages say it is not set up. */
  jobsAddress?: string | undefined;
  /** TLS to the servers, when they speak TLS. */
  tls?: ClientTls | undefined;
}

/**
 * The gRPC servers behind the console, one channel each, shared by every browser: each call
 * carries its caller's own token, so the servers decide what each person may see and do.
 */
export class Backend {
  readonly tokens: PromiseClient<typeof TokenServiceService>;
  readonly admin: PromiseClient<typeof AdminServiceService>;
  readonly status: PromiseClient<typeof StatusServiceService>;
  readonly scoreboard: PromiseClient<typeof ScoreboardServiceService>;
  readonly jobs: PromiseClient<typeof JobsServiceService> | undefined;
  readonly adjustments: PromiseClient<typeof AdjustmentServiceService>;
  readonly passwordChanges: PromiseClient<typeof PasswordChangeServiceService>;

  constructor(options: BackendOptions) {
    const connect = { tls: options.tls };
    this.tokens = createPromiseClient(TokenServiceService, options.scoringAddress, connect);
    this.admin = createPromiseClient(AdminServiceService, options.scoringAddress, connect);
    this.status = createPromiseClient(StatusServiceService, options.scoringAddress, connect);
    this.scoreboard = createPromiseClient(
      ScoreboardServiceService,
      options.scoringAddress,
      connect,
    );
    this.adjustments = createPromiseClient(
      AdjustmentServiceService,
      options.scoringAddress,
      connect,
    );
    this.passwordChanges = createPromiseClient(
      PasswordChangeServiceService,
      options.scoringAddress,
      connect,
    );
    this.jobs =
      options.jobsAddress === undefined
        ? undefined
        : createPromiseClient(JobsServiceService, options.jobsAddress, connect);
  }

  /** Call options carrying `token` (none: the public). */
  static as(token: string | undefined, extra: CallOptions = {}): CallOptions {
    return token === undefined ? extra : { ...extra, token };
  }

  close(): void {
    for (const client of [
      this.tokens,
      this.admin,
      this.status,
      this.scoreboard,
      this.adjustments,
      this.passwordChanges,
      this.jobs,
    ]) {
      client?.close();
    }
  }
}
