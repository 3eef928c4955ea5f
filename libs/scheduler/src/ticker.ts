import type { Db } from '@checkwire/db';
import { enqueueRound, recordRound } from './check-task.repository.js';
import { slotStart, type Clock } from './clock.js';
import { enqueueDeliveries } from './delivery.repository.js';
import { claimFiring, hasFired } from './fire.repository.js';
import { PERIODS, periodicEtype, type Scope } from './periods.js';
import { analyzeAfterEnqueue } from './planner-statistics.repository.js';
import { servicesInRound } from './round.repository.js';
import type { Rounds } from './round.service.js';
import type { CheckSettings } from './check-settings.js';
import { recordTicksQueued } from './tick-metrics.js';

export interface RoundService {
  id: number;
  external: boolean;
  administrativelyDown: boolean;
  /** Its runner pool ('' is the default pool): its checks are queued for that pool's runners. */
  runnerPool: string;
}

/** RoundService's fields, as ListServices' read_mask names them (proto spelling). */
export const ROUND_SERVICE_FIELDS: readonly string[] = Object.freeze([
  'id',
  'external',
  'administratively_down',
  'runner_pool',
]);

export interface TickerOptions {
  /** The LC services (gateway route names) that get periodic callbacks. */
  lcServices: string[];
  /**
   * Round interval (rounds start every this many ms, aligned on the epoch; 0 turns them off) and
   * jitter (each service's check starts up to this much into the round, fixed per service).
   */
  settings: CheckSettings;
  /** The services, from the scoring server (read every tick while rounds are on). */
  listServices: () => Promise<RoundService[]>;
  /** Names this replica in schedule_fire. */
  replicaId: string;
  /** Where rounds are logged. */
  rounds: Rounds;
}

const SCOPES: Scope[] = ['global', 'org', 'sensor'];

/** A service's fixed offset into a round: spreads checks, same every round. */
export function jitterFor(serviceId: number, jitterMs: number): number {
  return jitterMs <= 0 ? 0 : (Math.imul(serviceId, 2654435761) >>> 0) % jitterMs;
}

/** Checked in rounds: internal services that are not administratively down. */
const checkable = (s: RoundService) => !s.external && !s.administrativelyDown;

/**
 * Decides what is due. Each schedule fires once per due time across every replica: the firing is
 * a row (schedule, due time) inserted in the same transaction as the work it queues, and only the
 * replica whose insert succeeds queues it. Only the current slot is considered, so a scheduler
 * that was down fires a missed tick once when it is back, never the whole backlog.
 */
export class Ticker {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly options: TickerOptions,
  ) {}

  /** One pass; returns the schedules this replica fired. */
  async tick(): Promise<string[]> {
    const now = this.clock.now();
    const fired: string[] = [];
    // One ANALYZE for every firing of this pass (at midnight five cadences fire together).
    let deliveriesQueued = 0;
    for (const serviceName of this.options.lcServices) {
      for (const [period, ms] of Object.entries(PERIODS)) {
        for (const scope of SCOPES) {
          const etype = periodicEtype(scope, period);
          const schedule = `lc:${serviceName}:${etype}`;
          const dueAt = slotStart(now, ms);
          if (await hasFired(this.db, schedule, dueAt)) continue;
          const queued = await this.db.transaction().execute(async (trx) => {
            if (!(await claimFiring(trx, schedule, dueAt, this.options.replicaId))) return -1;
            return enqueueDeliveries(trx, { serviceName, etype, scope, dueAt });
          });
          if (queued >= 0) {
            fired.push(schedule);
            recordTicksQueued(etype, queued);
            deliveriesQueued += queued;
          }
        }
      }
    }
    await analyzeAfterEnqueue(this.db, 'lc_delivery', deliveriesQueued);
    const { roundIntervalMs, roundJitterMs } = await this.options.settings.current();
    if (roundIntervalMs > 0 && (await this.round(now, roundIntervalMs, roundJitterMs))) {
      fired.push('checks');
    }
    return fired;
  }

  /**
   * Queues the current round once (its firing); then, every tick, the checkable services that
   * have no check in it yet (created or brought back up since it started), so each is checked
   * within a tick, in the round it appeared in, and once (one task per service and round).
   */
  private async round(now: Date, intervalMs: number, jitterMs: number): Promise<boolean> {
    const schedule = `checks:${intervalMs}`;
    const roundAt = slotStart(now, intervalMs);
    const fired = await hasFired(this.db, schedule, roundAt);
    const services = (await this.options.listServices()).filter(checkable);
    if (fired) {
      await this.join(roundAt, now, services, jitterMs);
      return false;
    }
    const queued = await this.db.transaction().execute(async (trx) => {
      if (!(await claimFiring(trx, schedule, roundAt, this.options.replicaId))) return undefined;
      await recordRound(trx, roundAt);
      return enqueueRound(
        trx,
        roundAt,
        services.map((s) => ({
          id: s.id,
          runAfter: offset(roundAt, s, jitterMs),
          pool: s.runnerPool,
        })),
      );
    });
    if (queued === undefined) return false;
    this.options.rounds.started(roundAt, queued.length);
    await analyzeAfterEnqueue(this.db, 'check_task', queued.length);
    return true;
  }

  /** Services missing from a round that started: at their offset into it, or now if past. */
  private async join(
    roundAt: Date,
    now: Date,
    services: RoundService[],
    jitterMs: number,
  ): Promise<void> {
    const queued = await servicesInRound(
      this.db,
      roundAt,
      services.map((s) => s.id),
    );
    const late = services.filter((s) => !queued.has(s.id));
    if (late.length === 0) return;
    const runAfter = (s: RoundService) =>
      new Date(Math.max(offset(roundAt, s, jitterMs).getTime(), now.getTime()));
    // Another replica may queue the same ones meanwhile: the (service, round) key keeps one.
    const added = await enqueueRound(
      this.db,
      roundAt,
      late.map((s) => ({ id: s.id, runAfter: runAfter(s), pool: s.runnerPool })),
    );
    if (added.length > 0) this.options.rounds.joined(roundAt, added);
  }
}

function offset(roundAt: Date, s: RoundService, jitterMs: number): Date {
  return new Date(roundAt.getTime() + jitterFor(s.id, jitterMs));
}
