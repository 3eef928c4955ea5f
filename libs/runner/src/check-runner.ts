import { hostOf, runCheck, checkRequestId, type CheckResult } from '@checkwire/checks';
import { GrpcStatus, isGrpcError, type PromiseClient } from '@checkwire/grpc';
import {
  ServiceErrorKind,
  type AdminServiceService,
  type CheckQueueServiceService,
  type ClaimedCheck,
  type ScoringServiceService,
  type Service,
} from '@checkwire/proto';

export interface RunnerClients {
  queue: PromiseClient<typeof CheckQueueServiceService>;
  scoring: PromiseClient<typeof ScoringServiceService>;
  admin: PromiseClient<typeof AdminServiceService>;
}

export interface RunnerOptions {
  runnerId: string;
  /** Checks in flight. @default 64 */
  concurrency?: number;
  /** Each check's own time limit. @default 5000 */
  checkTimeoutMs?: number;
  /** How long a claimed check stays ours. @default 120 */
  leaseSeconds?: number;
  /** Pause when the queue is empty. @default 250 */
  idleMs?: number;
}

const KINDS: Record<Exclude<CheckResult, { up: true }>['kind'], ServiceErrorKind> = {
  timeout: ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT,
  connection: ServiceErrorKind.SERVICE_ERROR_KIND_CONNECTION,
  content: ServiceErrorKind.SERVICE_ERROR_KIND_CONTENT,
  credentials: ServiceErrorKind.SERVICE_ERROR_KIND_CREDENTIALS,
  other: ServiceErrorKind.SERVICE_ERROR_KIND_OTHER,
};

/** How long a service read from scoring is reused. */
const SERVICE_CACHE_MS = 5000;

/** A service up scores 1, down 0 (before the service's score cap). */
const POINTS_UP = 1;

/**
 * Takes checks from the scheduler's queue and runs each through the four Scoring actions, like
 * any external check: in progress → probe → score (keyed by the round, so a retried check never
 * scores twice) → error → done. Trouble reaching Checkwire itself is not the service's fault: the
 * check goes back to the queue (FailCheck) to be retried.
 */
export class CheckRunner {
  private inFlight = 0;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly leaseSeconds: number;
  private readonly idleMs: number;
  readonly running = new Set<Promise<void>>();
  private readonly completed: number[] = [];
  /** Services change rarely: one read per service per few seconds, not one per check. */
  private readonly services = new Map<number, { at: number; service: Promise<Service> }>();

  constructor(
    private readonly clients: RunnerClients,
    private readonly options: RunnerOptions,
  ) {
    this.concurrency = options.concurrency ?? 64;
    this.timeoutMs = options.checkTimeoutMs ?? 5000;
    this.leaseSeconds = options.leaseSeconds ?? 120;
    this.idleMs = options.idleMs ?? 250;
  }

  start(): void {
    this.loop ??= (async () => {
      while (!this.stopped) {
        const free = this.concurrency - this.inFlight;
        let claimed: ClaimedCheck[] = [];
        if (free > 0) {
          try {
            claimed = (
              await this.clients.queue.claimChecks({
                runnerId: this.options.runnerId,
                maxChecks: free,
                leaseSeconds: this.leaseSeconds,
                completedTaskIds: this.completed.splice(0),
              })
            ).checks;
          } catch (err) {
            console.error(`runner: cannot claim checks: ${String(err)}`);
          }
        }
        for (const check of claimed) this.track(this.runOne(check));
        if (claimed.length === 0 || free <= claimed.length) {
          await new Promise((r) => setTimeout(r, claimed.length === 0 ? this.idleMs : 5));
        }
      }
    })();
  }

  /** Stops claiming and waits for the checks in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await Promise.all(this.running);
    for (const taskId of this.completed.splice(0)) {
      await this.clients.queue.completeCheck({ taskId }, { retry: true }).catch((err: unknown) => {
        console.error(`runner: cannot complete check ${taskId}: ${String(err)}`);
      });
    }
  }

  private track(p: Promise<void>): void {
    this.inFlight++;
    this.running.add(p);
    void p.finally(() => {
      this.inFlight--;
      this.running.delete(p);
    });
  }

  /** Runs one claimed check to the end; never throws. */
  async runOne(check: ClaimedCheck): Promise<void> {
    try {
      await this.score(check);
      // Sent with the next claim (or on stop): a queue update per batch, not per check.
      this.completed.push(check.taskId);
    } catch (err) {
      const reason = isGrpcError(err) ? `${GrpcStatus[err.code]}: ${err.details}` : String(err);
      await this.clients.queue
        .failCheck({ taskId: check.taskId, error: reason })
        .catch((e: unknown) =>
          console.error(`runner: cannot release check ${check.taskId}: ${String(e)}`),
        );
    }
  }

  private async score(check: ClaimedCheck): Promise<void> {
    const s = await this.service(check.serviceId);
    const serviceId = s.id;
    try {
      await this.clients.scoring.insertServiceScoreInProgress({ serviceId });
    } catch (err) {
      // Taken down since the round was queued: nothing to score.
      if (isGrpcError(err, GrpcStatus.FAILED_PRECONDITION)) return;
      throw err;
    }
    const credentials = await this.credentials(s);
    const result = await runCheck(
      s.protocol,
      s.subtype,
      {
        host: hostOf(s.url),
        port: s.port,
        url: s.url,
        expect: s.httpString,
        info: s.teamSpecificInfo,
        ...credentials,
      },
      { timeoutMs: this.timeoutMs },
    );
    const { score, replayed } = await this.clients.scoring.insertServiceScore(
      {
        serviceId,
        result: result.up ? POINTS_UP : 0,
        errorMsg: result.up ? undefined : result.message,
        requestId: checkRequestId(serviceId, check.roundTime!),
      },
      { retry: true },
    );
    if (!result.up && !replayed) {
      await this.clients.scoring.reportServiceError({
        scoreId: score!.id,
        kind: KINDS[result.kind],
        message: result.message,
        detail: result.detail ?? '',
      });
    }
    await this.clients.scoring.insertServiceScoreDone({ serviceId }, { retry: true });
  }

  private service(id: number): Promise<Service> {
    const cached = this.services.get(id);
    if (cached !== undefined && Date.now() - cached.at < SERVICE_CACHE_MS) return cached.service;
    const service = this.clients.admin.getService({ id }, { retry: true }).then((r) => r.service!);
    this.services.set(id, { at: Date.now(), service });
    service.catch(() => this.services.delete(id));
    return service;
  }

  /** The service's own credentials, or one drawn from its credential pool. */
  private async credentials(s: Service): Promise<{ username: string; password: string }> {
    if (s.credentialPoolId === undefined) return { username: s.username, password: s.password };
    const { credentialPool } = await this.clients.admin.getCredentialPool(
      { id: s.credentialPoolId },
      { retry: true },
    );
    const pool = credentialPool?.credentials ?? [];
    const pick = pool[Math.floor(Math.random() * pool.length)];
    return pick ?? { username: s.username, password: s.password };
  }
}
