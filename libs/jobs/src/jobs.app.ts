import { Authenticator } from '@checkwire/auth';
import {
  connectDatabase,
  migrateToLatest,
  NotificationListener,
  watchDatabaseHealth,
  type DatabaseHandle,
} from '@checkwire/db';
import {
  reportDatabaseHealth,
  startGrpcServer,
  type RunningGrpcServer,
  type ServerTls,
} from '@checkwire/grpc';
import { observeQueue } from '@checkwire/metrics';
import { loadDescriptorSet } from '@checkwire/proto';
import { JOBS_CHANNEL, undeliveredStats } from './job.repository.js';
import { jobsServiceBinding } from './jobs.grpc.js';
import { Jobs } from './jobs.service.js';

export interface JobsAppOptions {
  databaseUrl: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** @default 5 */
  dbPoolSize?: number;
  /** @default 5000 */
  shutdownGraceMs?: number;
  /** See AuthenticatorOptions.cacheTtlMs. @default 5000 */
  tokenCacheTtlMs?: number;
  tls?: ServerTls;
}

/** The Jobs server: migrates the database, then serves JobsService over gRPC. */
export class JobsApp {
  private constructor(
    private readonly database: DatabaseHandle,
    private readonly listener: NotificationListener,
    private readonly server: RunningGrpcServer,
    private readonly stopHealth: () => void,
    private readonly unobserve: () => void,
    private readonly graceMs: number,
  ) {}

  get address(): string {
    return this.server.address;
  }

  static async start(options: JobsAppOptions): Promise<JobsApp> {
    const database = connectDatabase({
      connectionString: options.databaseUrl,
      maxConnections: options.dbPoolSize ?? 5,
      applicationName: 'checkwire-jobs',
    });
    const listener = new NotificationListener(options.databaseUrl, JOBS_CHANNEL);
    try {
      await migrateToLatest(database.db);
      await listener.start();
      const authenticator = new Authenticator(database.db, { cacheTtlMs: options.tokenCacheTtlMs });
      const server = await startGrpcServer({
        host: options.host ?? '127.0.0.1',
        port: options.port ?? 0,
        descriptorSet: loadDescriptorSet(),
        tls: options.tls,
        services: [jobsServiceBinding(new Jobs(database.db, listener), authenticator)],
      });
      const stopHealth = watchDatabaseHealth(database.pool, {
        onChange: (reachable, reason) => reportDatabaseHealth('jobs', server, reachable, reason),
      });
      // Undelivered job changes as a queue (its depth and lag), read at each scrape of /metrics.
      const unobserve = observeQueue('job_changes', async () => ({
        ...(await undeliveredStats(database.db)),
        scheduled: 0,
      }));
      return new JobsApp(
        database,
        listener,
        server,
        stopHealth,
        unobserve,
        options.shutdownGraceMs ?? 5000,
      );
    } catch (err) {
      await listener.stop();
      await database.close();
      throw err;
    }
  }

  async stop(): Promise<void> {
    this.stopHealth();
    this.unobserve();
    await this.listener.stop();
    await this.server.shutdown(this.graceMs);
    await this.database.close();
  }
}
