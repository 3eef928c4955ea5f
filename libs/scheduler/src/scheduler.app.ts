import { Authenticator, CallGuard } from '@checkwire/auth';
import {
  connectDatabase,
  migrateToLatest,
  watchDatabaseHealth,
  type DatabaseHandle,
} from '@checkwire/db';
import {
  createPromiseClient,
  FOREIGN_SERVER_KEEPALIVE_OPTIONS,
  reportDatabaseHealth,
  startGrpcServer,
  type ClientTls,
  type RunningGrpcServer,
  type ServerTls,
} from '@checkwire/grpc';
import {
  AdminServiceService,
  JobsServiceService,
  LcExtensionServiceService,
  LcHandlerServiceService,
  loadDescriptorSet,
  ScoringServiceService,
} from '@checkwire/proto';
import { LcApiClient, type LcApiClientOptions } from '@checkwire/lc-api';
import { checkQueueServiceBinding } from './check-queue.grpc.js';
import { CheckQueue } from './check-queue.service.js';
import { systemClock, type Clock } from './clock.js';
import { continuationServiceBinding } from './continuation.grpc.js';
import { Continuations } from './continuation.service.js';
import {
  ContinuationWorker,
  type ContinuationDeliveryOptions,
  type ExtensionClient,
} from './continuation-worker.js';
import { DeliveryWorker, type DeliveryOptions, type HandlerClient } from './delivery-worker.js';
import { InteractivePeriodic } from './interactive-periodic.js';
import { loop } from './loop.js';
import { exhaustedRule, GiveUpSweeper } from './give-up-sweeper.js';
import { noRunnerRule } from './no-runner.rule.js';
import { registryServiceBinding } from './registry.grpc.js';
import { RetentionSweeper } from './retention-sweeper.js';
import { Rounds } from './round.service.js';
import { CheckSettings } from './check-settings.js';
import {
  checkQueueStats,
  continuationQueueStats,
  deliveryQueueStats,
} from './queue-stats.repository.js';
import { ROUND_SERVICE_FIELDS, Ticker } from './ticker.js';
import { createLogger, logConfigFrom, type LoggerOptions } from '@checkwire/log';
import { observeQueue } from '@checkwire/metrics';

export interface SchedulerAppOptions {
  databaseUrl: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 */
  port?: number;
  tls?: ServerTls;
  /**
   * LC handlers that get periodic callbacks: name (as the gateway's route), address, the
   * handler's shared bearer token if it requires one (serveLcService's `token`), and the route's
   * secret, which the investigation ids of an interactive handler's sensor tasks are made from
   * (without it such tasks are not sent, and a warning says so).
   */
  lcHandlers: { name: string; handler: string; token?: string; secret?: string }[];
  /**
   * LC extensions whose continuations the scheduler delivers (LcExtensionService): name (as the
   * gateway's route), address, and the handler's bearer token if it requires one. A continuation
   * of an extension not listed here waits (logged once) for a scheduler that lists it.
   * @default []
   */
  lcExtensions?: { name: string; handler: string; token?: string }[];
  /** LimaCharlie's REST API, for interactive handlers' rules and tasks. @default LC_API_DEFAULTS */
  lcApi?: LcApiClientOptions;
  /** How continuations are delivered. @default CONTINUATION_DELIVERY_DEFAULTS */
  continuations?: ContinuationDeliveryOptions;
  /** The scoring server (services for check rounds; scores of checks given up on). */
  scoringAddress: string;
  /** The Jobs server (jobs returned from periodic callbacks); none: such jobs are dropped. */
  jobsAddress?: string;
  /** A scheduler token: lists services, records give-ups, stores callbacks' jobs. */
  token?: string;
  /** TLS towards scoring, jobs and the handlers (none: plaintext). */
  clientTls?: ClientTls;
  /** @default 60000; 0 turns check rounds off */
  roundIntervalMs?: number;
  /** @default 0 */
  roundJitterMs?: number;
  /** Tries per check before it is scored 0 with its error. @default 3 */
  checkMaxAttempts?: number;
  /** How often to look for due work. @default 1000 */
  tickIntervalMs?: number;
  /**
   * A check due this long that no runner serving its pool has claimed anything in as long (or
   * twice the check time limit, if longer) is scored 0 with kind NO_RUNNER; 0: never (apps/
   * scheduler turns it on; off here, as tests on a hand-moved clock have no runner for minutes).
   * @default 0
   */
  runnerLivenessMs?: number;
  /** Finished queue rows older than this are deleted; 0 keeps them. @default 7 days */
  retentionMs?: number;
  delivery?: DeliveryOptions;
  clock?: Clock;
  /** @default a random id */
  replicaId?: string;
  /** How round lines are logged (level, format, where they go). @default LOG_LEVEL, LOG_FORMAT */
  roundLog?: LoggerOptions;
}

/**
 * The scheduler: periodic LC callbacks, LC extensions' continuations and check rounds, once
 * across replicas.
 */
export class SchedulerApp {
  private constructor(
    private readonly database: DatabaseHandle,
    private readonly server: RunningGrpcServer,
    private readonly stops: (() => Promise<void>)[],
    private readonly closers: (() => void)[],
  ) {}

  get address(): string {
    return this.server.address;
  }

  static async start(o: SchedulerAppOptions): Promise<SchedulerApp> {
    const database = connectDatabase({
      connectionString: o.databaseUrl,
      maxConnections: 8,
      applicationName: 'checkwire-scheduler',
    });
    await migrateToLatest(database.db);
    const clock = o.clock ?? systemClock;
    const replicaId =
      o.replicaId ?? `scheduler-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const settings = new CheckSettings(database.db, clock, {
      roundIntervalMs: o.roundIntervalMs ?? 60_000,
      roundJitterMs: o.roundJitterMs ?? 0,
      maxAttempts: o.checkMaxAttempts ?? 3,
      checkTimeoutMs: 0,
    });
    const clientOptions = { token: o.token, tls: o.clientTls };
    const scoring = createPromiseClient(ScoringServiceService, o.scoringAddress, clientOptions);
    const admin = createPromiseClient(AdminServiceService, o.scoringAddress, clientOptions);
    const jobs =
      o.jobsAddress === undefined
        ? undefined
        : createPromiseClient(JobsServiceService, o.jobsAddress, clientOptions);
    const handlers = new Map<string, HandlerClient>(
      o.lcHandlers.map((h) => [
        h.name,
        createPromiseClient(LcHandlerServiceService, h.handler, {
          tls: o.clientTls,
          channelOptions: FOREIGN_SERVER_KEEPALIVE_OPTIONS,
          ...(h.token === undefined ? {} : { token: h.token }),
        }),
      ]),
    );
    const extensions = new Map<string, ExtensionClient>(
      (o.lcExtensions ?? []).map((e) => [
        e.name,
        createPromiseClient(LcExtensionServiceService, e.handler, {
          tls: o.clientTls,
          channelOptions: FOREIGN_SERVER_KEEPALIVE_OPTIONS,
          ...(e.token === undefined ? {} : { token: e.token }),
        }),
      ]),
    );
    const secrets = new Map<string, string>();
    for (const h of o.lcHandlers) if (h.secret !== undefined) secrets.set(h.name, h.secret);
    const interactive = new InteractivePeriodic(new LcApiClient(o.lcApi), secrets);
    const continuationWorker = new ContinuationWorker(
      database.db,
      clock,
      extensions,
      o.continuations,
    );
    const continuations = new Continuations(database.db, clock, () => continuationWorker.wake());
    const guard = new CallGuard(new Authenticator(database.db));
    const rounds = new Rounds(
      createLogger('scheduler', o.roundLog),
      (o.roundLog?.format ?? logConfigFrom().format) === 'json',
      replicaId,
    );
    const livenessMs = o.runnerLivenessMs ?? 0;
    const queue = new CheckQueue(database.db, clock, settings, rounds, livenessMs);
    const server = await startGrpcServer({
      host: o.host ?? '127.0.0.1',
      port: o.port ?? 0,
      tls: o.tls,
      descriptorSet: loadDescriptorSet(),
      services: [
        registryServiceBinding(database.db, guard),
        checkQueueServiceBinding(guard, queue),
        continuationServiceBinding(guard, continuations),
      ],
    });
    const ticker = new Ticker(database.db, clock, {
      lcServices: o.lcHandlers.map((h) => h.name),
      settings,
      replicaId,
      rounds,
      // Every tick: only the fields a round is planned with (a scorer older than read_mask
      // sends whole services, which work the same).
      listServices: async () =>
        (
          await admin.listServices({ readMask: [...ROUND_SERVICE_FIELDS] }, { retry: true })
        ).services.map((s) => ({
          id: s.id,
          external: s.external,
          administrativelyDown: s.administrativelyDown,
          runnerPool: s.runnerPool,
        })),
    });
    const deliveries = new DeliveryWorker(
      database.db,
      clock,
      handlers,
      jobs,
      interactive,
      o.delivery,
    );
    const sweeper = new GiveUpSweeper(database.db, clock, scoring, exhaustedRule(settings), rounds);
    const noRunner = new GiveUpSweeper(
      database.db,
      clock,
      scoring,
      noRunnerRule(settings, clock, livenessMs),
      rounds,
    );
    const retention = new RetentionSweeper(database.db, clock, o.retentionMs ?? 7 * 24 * 3_600_000);
    const interval = o.tickIntervalMs ?? 1000;
    continuationWorker.start();
    const stops = [
      loop('tick', interval, () => ticker.tick()),
      loop('deliveries', Math.min(interval, 200), () => deliveries.runOnce()),
      // The loop stops claiming first; the calls already out end and are written.
      () => deliveries.drain(),
      // The same: it stops claiming, its calls out end and are written.
      () => continuationWorker.stop(),
      loop('give-up sweep', interval * 5, () => sweeper.runOnce()),
      ...(livenessMs > 0 ? [loop('no-runner sweep', interval * 5, () => noRunner.runOnce())] : []),
      loop('retention', 60_000, () => retention.runOnce()),
    ];
    const stopHealth = watchDatabaseHealth(database.pool, {
      onChange: (reachable, reason) => reportDatabaseHealth('scheduler', server, reachable, reason),
    });
    // Both queues' depth and lag, read at each scrape of /metrics (never while metrics are off).
    const unobserveChecks = observeQueue('checks', () => checkQueueStats(database.db, clock.now()));
    const unobserveTicks = observeQueue('lc_callbacks', () =>
      deliveryQueueStats(database.db, clock.now()),
    );
    const unobserveContinuations = observeQueue('lc_continuations', () =>
      continuationQueueStats(database.db, clock.now()),
    );
    const closers = [
      unobserveChecks,
      unobserveTicks,
      unobserveContinuations,
      stopHealth,
      () => scoring.close(),
      () => admin.close(),
      () => jobs?.close(),
      ...[...handlers.values()].map((h) => () => h.close()),
      ...[...extensions.values()].map((e) => () => e.close()),
    ];
    return new SchedulerApp(database, server, stops, closers);
  }

  async stop(): Promise<void> {
    for (const stop of this.stops) await stop();
    await this.server.shutdown();
    for (const close of this.closers) close();
    await this.database.close();
  }
}
