import {
  connectDatabase,
  migrateToLatest,
  NotificationListener,
  watchDatabaseHealth,
  type DatabaseHandle,
} from '@checkwire/db';
import { Authenticator, TokenAdministration, type IssuedToken } from '@checkwire/auth';
import {
  reportDatabaseHealth,
  startGrpcServer,
  type RunningGrpcServer,
  type ServerTls,
} from '@checkwire/grpc';
import { loadDescriptorSet } from '@checkwire/proto';
import { Access } from './access.js';
import { ReadPools } from './read-pools.js';
import { adminServiceBinding } from './admin.grpc.js';
import { Administration } from './admin.service.js';
import { scoringServiceBinding } from './scoring.grpc.js';
import { ScoringActions } from './scoring.service.js';
import { AbandonedRunSweeper } from './abandoned-run-sweeper.js';
import { CheckTracing } from './check-tracing.js';
import { StatusFeed } from './status-feed.js';
import { STATUS_CHANNEL, StatusNotifier } from './status-notifier.js';
import { statusServiceBinding } from './status.grpc.js';
import { StatusQueries } from './status.service.js';
import { tokenServiceBinding } from './token.grpc.js';
import { competitionServiceBinding } from './competition.grpc.js';
import { Competitions } from './competition.service.js';
import { scoreboardServiceBinding } from './scoreboard.grpc.js';
import { adjustmentServiceBinding } from './adjustment.grpc.js';
import { passwordChangeServiceBinding } from './password-change.grpc.js';
import { PasswordChanges } from './password-change.service.js';
import { PasswordChangeApplier } from './password-change-applier.js';
import { Adjustments } from './adjustment.service.js';
import { ScoreboardFeed } from './scoreboard-feed.js';
import { ScoreboardQueries } from './scoreboard.service.js';

export interface ScoringAppOptions {
  databaseUrl: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** @default 10 */
  dbPoolSize?: number;
  /** See DatabaseOptions.synchronousCommit. @default true */
  synchronousCommit?: boolean;
  /** How long running calls may finish on stop. @default 5000 */
  shutdownGraceMs?: number;
  /** How long status changes gather before they are announced. @default 20 */
  statusNotifyIntervalMs?: number;
  /** How often watched statuses are re-read in full, to heal lost announcements. @default 5000 */
  statusResyncMs?: number;
  /** Record check spans (true when this process exports traces). @default false */
  tracing?: boolean;
  /** A run open longer than this is closed as abandoned. @default 600000 (10 min) */
  checkRunTimeoutMs?: number;
  /** How often to look for abandoned runs. @default 30000 */
  sweepIntervalMs?: number;
  /**
   * On a database without any API token, mint an admin token (see `bootstrapToken`).
   * @default false
   */
  bootstrapAdminToken?: boolean;
  /** How long a verified token is trusted before the database is asked again. @default 5000 */
  tokenCacheTtlMs?: number;
  /** Serve gRPC over TLS (mutual when `clientCa` is set). */
  tls?: ServerTls;
  /** Largest request accepted (RESOURCE_EXHAUSTED beyond). @default 4 MiB */
  maxReceiveMessageBytes?: number;
  /** How often password changes whose delay ran out are applied. @default 1000 */
  passwordChangeIntervalMs?: number;
  /**
   * Connections for the reads of people watching (blue, red, green, the public), apart from the
   * main pool scoring writes use. @default 4
   */
  peopleReadPoolSize?: number;
  /** How often the database is probed for health (NOT_SERVING while it is gone). @default 2000 */
  databaseHealthIntervalMs?: number;
  /** Open streams one caller may hold (RESOURCE_EXHAUSTED beyond). @default DEFAULT_STREAMS_PER_CALLER */
  streamsPerCaller?: number;
  /** WatchScoreboard sends at most one scoreboard per this many ms. @default 1000 */
  scoreboardIntervalMs?: number;
}

/** The scoring server: migrates the database, then serves Scoring, Admin and Status over gRPC. */
export class ScoringApp {
  private constructor(
    private readonly database: DatabaseHandle,
    private readonly peopleReads: DatabaseHandle,
    private readonly listener: NotificationListener,
    private readonly feed: StatusFeed,
    private readonly scoreboardFeed: ScoreboardFeed,
    private readonly notifier: StatusNotifier,
    private readonly server: RunningGrpcServer,
    private readonly sweeper: AbandonedRunSweeper,
    private readonly applier: PasswordChangeApplier,
    private readonly stopHealth: () => void,
    private readonly graceMs: number,
    /** The admin token minted on an empty database, when asked to: shown once, keep it. */
    readonly bootstrapToken: IssuedToken | undefined,
  ) {}

  get address(): string {
    return this.server.address;
  }

  get port(): number {
    return this.server.port;
  }

  static async start(options: ScoringAppOptions): Promise<ScoringApp> {
    const database = connectDatabase({
      connectionString: options.databaseUrl,
      maxConnections: options.dbPoolSize ?? 10,
      applicationName: 'checkwire-scoring',
      synchronousCommit: options.synchronousCommit ?? true,
    });
    const peopleReads = connectDatabase({
      connectionString: options.databaseUrl,
      maxConnections: options.peopleReadPoolSize ?? 4,
      applicationName: 'checkwire-scoring-reads',
    });
    const listener = new NotificationListener(options.databaseUrl, STATUS_CHANNEL);
    try {
      await migrateToLatest(database.db);
      await listener.start();
      const feed = new StatusFeed(database.db, listener, { resyncMs: options.statusResyncMs });
      const notifier = new StatusNotifier(database.pool, {
        intervalMs: options.statusNotifyIntervalMs,
      });
      const tracing = new CheckTracing(database.pool, options.tracing ?? false);
      const authenticator = new Authenticator(database.db, { cacheTtlMs: options.tokenCacheTtlMs });
      const access = new Access(authenticator, database.db, {
        streamsPerCaller: options.streamsPerCaller,
      });
      const tokens = new TokenAdministration(database.db, authenticator);
      const reads = new ReadPools(database.db, peopleReads.db);
      const scoreboard = new ScoreboardQueries(reads);
      const scoreboardFeed = new ScoreboardFeed(scoreboard, listener, {
        minIntervalMs: options.scoreboardIntervalMs,
      });
      const passwordChanges = new PasswordChanges(database.db, notifier);
      const actions = new ScoringActions(database.db, database.pool, notifier, tracing);
      const server = await startGrpcServer({
        host: options.host ?? '127.0.0.1',
        port: options.port ?? 0,
        descriptorSet: loadDescriptorSet(),
        tls: options.tls,
        maxReceiveMessageBytes: options.maxReceiveMessageBytes,
        services: [
          scoringServiceBinding(actions, access),
          adminServiceBinding(new Administration(database.db, notifier, reads), access),
          statusServiceBinding(new StatusQueries(database.db, feed, reads), access),
          tokenServiceBinding(tokens, access),
          competitionServiceBinding(new Competitions(database.db, notifier), access),
          scoreboardServiceBinding(scoreboard, scoreboardFeed, access),
          adjustmentServiceBinding(
            new Adjustments(database.db, () => scoreboardFeed.poke()),
            access,
          ),
          passwordChangeServiceBinding(passwordChanges, access),
        ],
      });
      // Minted only once the server is bound: a start that fails to listen (a taken port) must
      // not leave behind a token nobody was shown, or the next start would print none.
      let bootstrapToken: IssuedToken | undefined;
      try {
        bootstrapToken = options.bootstrapAdminToken ? await tokens.bootstrap() : undefined;
      } catch (err) {
        await server.shutdown(0);
        throw err;
      }
      const stopHealth = watchDatabaseHealth(database.pool, {
        intervalMs: options.databaseHealthIntervalMs,
        onChange: (reachable, reason) => reportDatabaseHealth('scoring', server, reachable, reason),
      });
      const sweeper = new AbandonedRunSweeper(database.pool, notifier, tracing, {
        timeoutMs: options.checkRunTimeoutMs ?? 600_000,
        intervalMs: options.sweepIntervalMs ?? 30_000,
      });
      return new ScoringApp(
        database,
        peopleReads,
        listener,
        feed,
        scoreboardFeed,
        notifier,
        server,
        sweeper,
        new PasswordChangeApplier(passwordChanges, options.passwordChangeIntervalMs ?? 1000),
        stopHealth,
        options.shutdownGraceMs ?? 5000,
        bootstrapToken,
      );
    } catch (err) {
      await listener.stop();
      await peopleReads.close();
      await database.close();
      throw err;
    }
  }

  /** Ends watch streams, drains calls, then closes the database connections. */
  async stop(): Promise<void> {
    this.stopHealth();
    this.feed.closeAll();
    this.scoreboardFeed.close();
    await this.sweeper.stop();
    await this.applier.stop();
    await this.server.shutdown(this.graceMs);
    await this.notifier.flush();
    await this.listener.stop();
    await this.peopleReads.close();
    await this.database.close();
  }
}
