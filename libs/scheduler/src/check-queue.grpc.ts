import type { CallGuard } from '@checkwire/auth';
import type { CheckTaskRow } from '@checkwire/db';
import { InvalidArgumentError, requireId, runnerPool, text } from '@checkwire/errors';
import { unary, type ServiceBinding } from '@checkwire/grpc';
import {
  CheckOutcome,
  CheckQueueServiceService,
  ServiceErrorKind,
  type CheckQueueServiceServer,
  type ClaimedCheck,
} from '@checkwire/proto';
import { CHECK_QUEUE_POLICY } from './check-queue.policy.js';
import type { CheckQueue, Completion } from './check-queue.service.js';
import type { Verdict } from './round.repository.js';

function claimed(t: CheckTaskRow, timeoutMs: number): ClaimedCheck {
  return {
    timeoutMs,
    taskId: t.id,
    serviceId: t.service_id,
    roundTime: t.round_at,
    attempt: t.attempts,
    leaseUntil: t.locked_until ?? undefined,
  };
}

function bounded(field: string, value: number, fallback: number, max: number): number {
  if (value === 0) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new InvalidArgumentError(field, `must be 1..${max}, got ${value}`);
  }
  return value;
}

const DOWN_KINDS = new Map<ServiceErrorKind, Verdict>([
  [ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT, 'timeout'],
  [ServiceErrorKind.SERVICE_ERROR_KIND_CONTENT, 'content'],
  [ServiceErrorKind.SERVICE_ERROR_KIND_CREDENTIALS, 'credentials'],
  [ServiceErrorKind.SERVICE_ERROR_KIND_CONNECTION, 'connection'],
  [ServiceErrorKind.SERVICE_ERROR_KIND_OTHER, 'other'],
]);

const OTHER_OUTCOMES = new Map<CheckOutcome, Verdict | null>([
  [CheckOutcome.CHECK_OUTCOME_UNSPECIFIED, null],
  [CheckOutcome.CHECK_OUTCOME_UP, 'up'],
  [CheckOutcome.CHECK_OUTCOME_SKIPPED, 'skipped'],
]);

/** outcome + error_kind as stored (null: not said); `at` prefixes the field names. */
function verdictOf(at: string, outcome: CheckOutcome, kind: ServiceErrorKind): Verdict | null {
  if (outcome === CheckOutcome.CHECK_OUTCOME_DOWN) {
    const verdict = DOWN_KINDS.get(kind);
    if (verdict === undefined) {
      throw new InvalidArgumentError(
        `${at}error_kind`,
        kind === ServiceErrorKind.SERVICE_ERROR_KIND_UNSPECIFIED
          ? 'must be set when outcome is CHECK_OUTCOME_DOWN'
          : kind === ServiceErrorKind.SERVICE_ERROR_KIND_NO_RUNNER
            ? 'NO_RUNNER is for checks nobody ran; a runner that ran the check says how it went'
            : `unknown value ${kind}`,
      );
    }
    return verdict;
  }
  const verdict = OTHER_OUTCOMES.get(outcome);
  if (verdict === undefined)
    throw new InvalidArgumentError(`${at}outcome`, `unknown value ${outcome}`);
  if (kind !== ServiceErrorKind.SERVICE_ERROR_KIND_UNSPECIFIED) {
    throw new InvalidArgumentError(
      `${at}error_kind`,
      'must be unset unless outcome is CHECK_OUTCOME_DOWN',
    );
  }
  return verdict;
}

/** Pools a runner may name at once. */
const MAX_POOLS = 100;

/** The pools a claim names, '' for the default pool; none named: the default pool only. */
function poolsOf(names: readonly string[]): string[] {
  if (names.length > MAX_POOLS) {
    throw new InvalidArgumentError('pools', `must name at most ${MAX_POOLS}, got ${names.length}`);
  }
  const pools = names.map((n, i) => runnerPool(`pools[${i}]`, n));
  return pools.length === 0 ? [''] : [...new Set(pools)].sort();
}

/** gRPC edge of checkwire.scheduler.v1.CheckQueueService (check runners): protobuf in and out. */
export function checkQueueServiceBinding(guard: CallGuard, queue: CheckQueue): ServiceBinding {
  const implementation: CheckQueueServiceServer = {
    claimChecks: unary(
      guard.unary(CHECK_QUEUE_POLICY, 'claimChecks', async (req, _context, p) => {
        // Every field is checked before anything is written: a refused claim completes nothing.
        const completed: Completion[] = [
          ...req.completedChecks.map((c, i) => ({
            id: requireId(`completed_checks[${i}].task_id`, c.taskId),
            verdict: verdictOf(`completed_checks[${i}].`, c.outcome, c.errorKind),
          })),
          ...req.completedTaskIds.map((id, i) => ({
            id: requireId(`completed_task_ids[${i}]`, id),
            verdict: null,
          })),
        ];
        const { tasks, timeoutMs } = await queue.claim(p, {
          limit: bounded('max_checks', req.maxChecks, 10, 1000),
          leaseMs: bounded('lease_seconds', req.leaseSeconds, 120, 3600) * 1000,
          runner: text('runner_id', req.runnerId, 200),
          pools: poolsOf(req.pools),
          completed,
        });
        return { checks: tasks.map((t) => claimed(t, timeoutMs)) };
      }),
    ),
    completeCheck: unary(
      guard.unary(CHECK_QUEUE_POLICY, 'completeCheck', async (req, _context, p) => {
        const id = requireId('task_id', req.taskId);
        await queue.completeOne(p, id, verdictOf('', req.outcome, req.errorKind));
        return {};
      }),
    ),
    failCheck: unary(
      guard.unary(CHECK_QUEUE_POLICY, 'failCheck', async (req, _context, p) => {
        const id = requireId('task_id', req.taskId);
        const error = text('error', req.error, 10_000);
        if (!Number.isInteger(req.attempt) || req.attempt < 0) {
          throw new InvalidArgumentError('attempt', `must be 0 or more, got ${req.attempt}`);
        }
        return queue.fail(p, id, error, req.attempt === 0 ? undefined : req.attempt);
      }),
    ),
  };
  return {
    name: 'checkwire.scheduler.v1.CheckQueueService',
    definition: CheckQueueServiceService,
    implementation,
  };
}
