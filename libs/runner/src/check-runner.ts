import { checkSettingsFromWire } from '@checkwire/check-settings';
import { down, hostOf, runCheck, checkRequestId, type CheckResult } from '@checkwire/checks';
import {
  describeCallError,
  GrpcStatus,
  isGrpcError,
  isRequestRefusal,
  type PromiseClient,
} from '@checkwire/grpc';
import {
  CheckOutcome,
  ServiceErrorKind,
  type AdminServiceService,
  type CheckQueueServiceService,
  type ClaimedCheck,
  type CompletedCheck,
  type CredentialPool,
  type ScoringServiceService,
  type Service,
  type StartedServiceCheck,
} from '@checkwire/proto';
import { checkKind, observeRunner, recordScored, recordUnscored } from './check-metrics.js';
import { checkPoints } from './check-points.js';
import { FinishBatcher } from './finish-batcher.js';
import { createLogger } from '@checkwire/log';
import { RUNNER_DEFAULTS } from '@checkwire/config';

const LOG = createLogger('runner');

/** A peer that cannot be reached is one line per outage; any other failure is a line each. */
function complain(peer: string, line: string, err: unknown): void {
  if (isGrpcError(err) && err.code === GrpcStatus.UNAVAILABLE) LOG.outage(peer, line);
  else LOG.warn(line);
}

export interface RunnerClients {
  queue: PromiseClient<typeof CheckQueueServiceService>;
  scoring: PromiseClient<typeof ScoringServiceService>;
  admin: PromiseClient<typeof AdminServiceService>;
}

export interface RunnerOptions {
  runnerId: string;
  /** The runner pools it takes checks of ('' is the default pool). @default [''] */
  pools?: readonly string[];
  /** Checks in flight. @default RUNNER_DEFAULTS.concurrency */
  concurrency?: number;
  /** Each check's own time limit. @default RUNNER_DEFAULTS.checkTimeoutMs */
  checkTimeoutMs?: number;
  /** How long a claimed check stays ours. @default 120 */
  leaseSeconds?: number;
  /** Pause when the queue is empty. @default 250 */
  idleMs?: number;
  /** Finished checks sent in one FinishServiceChecks call, at most. @default 256 */
  finishBatch?: number;
  /** How long a finished check waits for others to share its call. @default 10 */
  finishLingerMs?: number;
}

const KINDS: Record<Exclude<CheckResult, { up: true }>['kind'], ServiceErrorKind> = {
  timeout: ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT,
  connection: ServiceErrorKind.SERVICE_ERROR_KIND_CONNECTION,
  content: ServiceErrorKind.SERVICE_ERROR_KIND_CONTENT,
  credentials: ServiceErrorKind.SERVICE_ERROR_KIND_CREDENTIALS,
  other: ServiceErrorKind.SERVICE_ERROR_KIND_OTHER,
};

/** How a finished check went, for the round's summary (no result: its service was down). */
function completion(check: ClaimedCheck, result: CheckResult | undefined): CompletedCheck {
  const [outcome, errorKind] =
    result === undefined
      ? [CheckOutcome.CHECK_OUTCOME_SKIPPED, ServiceErrorKind.SERVICE_ERROR_KIND_UNSPECIFIED]
      : result.up
        ? [CheckOutcome.CHECK_OUTCOME_UP, ServiceErrorKind.SERVICE_ERROR_KIND_UNSPECIFIED]
        : [CheckOutcome.CHECK_OUTCOME_DOWN, KINDS[result.kind]];
  return { taskId: check.taskId, outcome, errorKind };
}

/** How long a service (or credential pool) read from scoring is reused. */
const CACHE_MS = 5000;

/**
 * What scoring accepts, as the contract documents it (longer texts are cut, not refused: the
 * check's verdict matters more than its wording).
 */
const MAX_MESSAGE = 4096;
const MAX_DETAIL = 65_536;
const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** Reads that are worth keeping a few seconds: services change rarely. */
class Cache<T> {
  private readonly entries = new Map<number, { at: number; value: Promise<T> }>();

  get(id: number, load: (id: number) => Promise<T>): Promise<T> {
    const hit = this.entries.get(id);
    if (hit !== undefined && Date.now() - hit.at < CACHE_MS) return hit.value;
    const value = load(id);
    this.entries.set(id, { at: Date.now(), value });
    value.catch(() => this.entries.delete(id));
    return value;
  }
}

/**
 * Takes checks from the scheduler's queue and runs them through the four Scoring actions, like
 * any external check, a batch at a time: the claimed checks are marked in progress in one
 * StartServiceChecks call, each is probed, and finished checks are scored, their errors reported
 * and their runs closed together in FinishServiceChecks calls, keyed by the round (so a retried
 * check never scores twice). Trouble reaching Checkwire itself is not the service's fault: the
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
  /** Claim only when this many slots are free (bigger batches, fewer queue round trips). */
  private readonly minClaim: number;
  private readonly finisher: FinishBatcher;
  readonly running = new Set<Promise<void>>();
  private readonly completed: CompletedCheck[] = [];
  private slotFreed: (() => void) | undefined;
  private readonly services = new Cache<Service>();
  private readonly pools = new Cache<CredentialPool | undefined>();
  private unobserve: (() => void) | undefined;

  constructor(
    private readonly clients: RunnerClients,
    private readonly options: RunnerOptions,
  ) {
    this.concurrency = options.concurrency ?? RUNNER_DEFAULTS.concurrency;
    this.timeoutMs = options.checkTimeoutMs ?? RUNNER_DEFAULTS.checkTimeoutMs;
    this.leaseSeconds = options.leaseSeconds ?? 120;
    this.idleMs = options.idleMs ?? 250;
    this.minClaim = Math.max(1, Math.floor(this.concurrency / 4));
    this.finisher = new FinishBatcher(
      clients.scoring,
      options.finishBatch ?? 256,
      options.finishLingerMs ?? 10,
    );
  }

  start(): void {
    this.unobserve ??= observeRunner(() => this.inFlight, this.concurrency);
    this.loop ??= (async () => {
      while (!this.stopped) {
        const free = this.concurrency - this.inFlight;
        if (free < this.minClaim && this.inFlight > 0) {
          await new Promise<void>((r) => (this.slotFreed = r));
          continue;
        }
        const claimed = await this.claim(free);
        if (claimed.length === 0) {
          await new Promise((r) => setTimeout(r, this.idleMs));
          continue;
        }
        await this.startChecks(claimed);
      }
    })();
  }

  /** Stops claiming and waits for the checks in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.slotFreed?.();
    await this.loop;
    await Promise.all(this.running);
    await this.finisher.drain();
    await this.completeEach(this.completed.splice(0));
    this.unobserve?.();
  }

  private async claim(free: number): Promise<ClaimedCheck[]> {
    const completedChecks = this.completed.splice(0);
    try {
      const { checks } = await this.clients.queue.claimChecks({
        runnerId: this.options.runnerId,
        pools: [...(this.options.pools ?? [''])],
        maxChecks: free,
        leaseSeconds: this.leaseSeconds,
        completedChecks,
        // For schedulers older than completed_checks (a newer one settles each task once).
        completedTaskIds: completedChecks.map((c) => c.taskId),
      });
      return checks;
    } catch (err) {
      complain('scheduler', `cannot claim checks: ${describeCallError(err)}`, err);
      // Their scores are in: reported again with the next claim, unless the queue refused them
      // (they would wedge every claim); then one by one, so only a refused one is dropped.
      if (!isRequestRefusal(err)) this.completed.push(...completedChecks);
      else await this.completeEach(completedChecks);
      return [];
    }
  }

  /** Marks the claimed checks in progress in one call, then runs each. */
  private async startChecks(claimed: ClaimedCheck[]): Promise<void> {
    let started: StartedServiceCheck[];
    try {
      ({ checks: started } = await this.clients.scoring.startServiceChecks(
        { serviceIds: claimed.map((c) => c.serviceId) },
        { retry: true },
      ));
    } catch (err) {
      await Promise.all(claimed.map((c) => this.release(c, err)));
      return;
    }
    claimed.forEach((check, i) => {
      const s = started[i]!;
      // Taken down since the round was queued: nothing to check, nothing to score; a run left
      // open by an earlier try is closed (finishing a down service scores nothing).
      if (!s.administrativelyDown) {
        this.track(this.runOne(check, s.checkRun!.id, s.service));
      } else if (s.checkRun === undefined) {
        this.completed.push(completion(check, undefined));
        recordUnscored('skipped');
      } else {
        this.track(this.finish(check, s.checkRun.id, check.serviceId, undefined));
      }
    });
  }

  private track(p: Promise<void>): void {
    this.inFlight++;
    this.running.add(p);
    void p.finally(() => {
      this.inFlight--;
      this.running.delete(p);
      const wake = this.slotFreed;
      this.slotFreed = undefined;
      wake?.();
    });
  }

  /** Runs one started check to the end; never throws. */
  private async runOne(
    check: ClaimedCheck,
    checkRunId: number,
    started: Service | undefined,
  ): Promise<void> {
    try {
      // A scoring server older than StartedServiceCheck.service sends none: asked for (cached).
      const s =
        started ??
        (await this.services.get(check.serviceId, async (id) => {
          const { service } = await this.clients.admin.getService({ id }, { retry: true });
          return service!;
        }));
      const credentials = await this.credentials(s);
      const probing = performance.now();
      const probed = await this.probe(s, credentials, check.timeoutMs);
      const probe = {
        kind: checkKind(s.protocol, s.subtype),
        seconds: (performance.now() - probing) / 1000,
      };
      const { result, points } = checkPoints(probed, s.scoreCap);
      await this.finish(check, checkRunId, s.id, result, probe, points);
    } catch (err) {
      await this.release(check, err);
    }
  }

  /** Runs the service's built-in check with its validated settings. */
  private async probe(
    s: Service,
    credentials: { username: string; password: string },
    timeoutMs: number,
  ): Promise<CheckResult> {
    let settings;
    try {
      settings = checkSettingsFromWire('check_settings', s.checkSettings);
    } catch (err) {
      // Scoring validates what it stores; a row written around it could still be unusable.
      return down(
        'other',
        `the service's check settings cannot be used: ${(err as Error).message}`,
      );
    }
    return runCheck(
      s.protocol,
      s.subtype,
      {
        host: hostOf(s.url),
        port: s.port,
        url: s.url,
        expect: s.httpString,
        info: s.teamSpecificInfo,
        settings,
        ...credentials,
      },
      { timeoutMs: timeoutMs > 0 ? timeoutMs : this.timeoutMs },
    );
  }

  /**
   * Scores the check (`points`: what its result is worth), reports its error and closes its run
   * (result undefined: only closes, its service was down), then counts it (with its probe's kind
   * and duration). A partial result's message goes with its score, without a ServiceError.
   */
  private async finish(
    check: ClaimedCheck,
    checkRunId: number,
    serviceId: number,
    result: CheckResult | undefined,
    probe?: { kind: string; seconds: number },
    points = 0,
  ): Promise<void> {
    try {
      await this.finisher.finish({
        serviceId,
        checkRunId,
        result: points,
        errorMsg:
          result === undefined || (result.up && result.share === undefined)
            ? undefined
            : cut(result.message, MAX_MESSAGE),
        requestId: checkRequestId(serviceId, check.roundTime!),
        roundTime: check.roundTime,
        error:
          result === undefined || result.up
            ? undefined
            : {
                kind: KINDS[result.kind],
                message: cut(result.message, MAX_MESSAGE),
                detail: cut(result.detail ?? '', MAX_DETAIL),
              },
      });
      // Sent with the next claim (or on stop): a queue update per batch, not per check.
      this.completed.push(completion(check, result));
      if (result === undefined || probe === undefined) recordUnscored('skipped');
      else recordScored(probe.kind, result, probe.seconds);
    } catch (err) {
      await this.release(check, err);
    }
  }

  private async completeEach(completed: CompletedCheck[]): Promise<void> {
    for (const c of completed) {
      await this.clients.queue.completeCheck(c, { retry: true }).catch((err: unknown) => {
        complain('scheduler', `cannot complete check ${c.taskId}: ${describeCallError(err)}`, err);
      });
    }
  }

  private async release(check: ClaimedCheck, err: unknown): Promise<void> {
    recordUnscored('failed');
    await this.clients.queue
      .failCheck({ taskId: check.taskId, error: describeCallError(err), attempt: check.attempt })
      .catch((e: unknown) =>
        complain('scheduler', `cannot release check ${check.taskId}: ${describeCallError(e)}`, e),
      );
  }

  /** The service's own credentials, or one drawn from its credential pool. */
  private async credentials(s: Service): Promise<{ username: string; password: string }> {
    if (s.credentialPoolId === undefined) return { username: s.username, password: s.password };
    const pool = await this.pools.get(s.credentialPoolId, async (id) => {
      const { credentialPool } = await this.clients.admin.getCredentialPool(
        { id },
        { retry: true },
      );
      return credentialPool;
    });
    const credentials = pool?.credentials ?? [];
    const pick = credentials[Math.floor(Math.random() * credentials.length)];
    return pick ?? { username: s.username, password: s.password };
  }
}
