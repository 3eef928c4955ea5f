import { isLimitedRunner, requireMayScore, type CallGuard, type Principal } from '@checkwire/auth';
import type { CheckTaskRow, Db } from '@checkwire/db';
import { InvalidArgumentError, NotFoundError, requireId, text } from '@checkwire/errors';
import { unary, type ServiceBinding } from '@checkwire/grpc';
import {
  CheckQueueServiceService,
  type CheckQueueServiceServer,
  type ClaimedCheck,
} from '@checkwire/proto';
import { backoffMs } from './backoff.js';
import {
  claimChecks,
  completeTask,
  completeTasks,
  findTask,
  releaseTask,
  servicesOfTasks,
} from './check-task.repository.js';
import { CHECK_QUEUE_POLICY } from './check-queue.policy.js';
import type { Clock } from './clock.js';

function claimed(t: CheckTaskRow): ClaimedCheck {
  return {
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

/** A limited runner may complete or release only checks of services it may score. */
async function requireMayTouch(db: Db, p: Principal, taskIds: number[]): Promise<void> {
  if (!isLimitedRunner(p)) return;
  for (const service of await servicesOfTasks(db, taskIds)) requireMayScore(p, service);
}

/**
 * gRPC edge of checkwire.scheduler.v1.CheckQueueService (check runners). A runner token limited
 * to some subtypes or services is handed only their checks, and may settle only those.
 */
export function checkQueueServiceBinding(
  db: Db,
  guard: CallGuard,
  clock: Clock,
  maxAttempts: number,
): ServiceBinding {
  const implementation: CheckQueueServiceServer = {
    claimChecks: unary(
      guard.unary(CHECK_QUEUE_POLICY, 'claimChecks', async (req, _context, p) => {
        const done = req.completedTaskIds.map((id, i) => requireId(`completed_task_ids[${i}]`, id));
        // Every field is checked before anything is written: a refused claim completes nothing.
        const limit = bounded('max_checks', req.maxChecks, 10, 1000);
        const leaseMs = bounded('lease_seconds', req.leaseSeconds, 120, 3600) * 1000;
        const runner = text('runner_id', req.runnerId, 200);
        await requireMayTouch(db, p, done);
        await completeTasks(db, done, clock.now());
        const tasks = await claimChecks(db, {
          now: clock.now(),
          limit,
          leaseMs,
          runner,
          maxAttempts,
          limits: isLimitedRunner(p) ? p : undefined,
        });
        return { checks: tasks.map(claimed) };
      }),
    ),
    completeCheck: unary(
      guard.unary(CHECK_QUEUE_POLICY, 'completeCheck', async (req, _context, p) => {
        const id = requireId('task_id', req.taskId);
        await requireMayTouch(db, p, [id]);
        if (!(await completeTask(db, id, clock.now())) && (await findTask(db, id)) === undefined) {
          throw new NotFoundError('check task', id);
        }
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
        await requireMayTouch(db, p, [id]);
        const task = await findTask(db, id);
        if (task === undefined) throw new NotFoundError('check task', id);
        const attempt = req.attempt === 0 ? task.attempts : req.attempt;
        const willRetry = attempt < maxAttempts;
        const retryAt = new Date(clock.now().getTime() + (willRetry ? backoffMs(attempt) : 0));
        const released = await releaseTask(db, id, error, retryAt, req.attempt || undefined);
        // Claimed again since (this attempt's lease ran out): its new holder settles it.
        if (!released && req.attempt !== 0) return { willRetry: true, retryAt: undefined };
        return { willRetry, retryAt: willRetry ? retryAt : undefined };
      }),
    ),
  };
  return {
    name: 'checkwire.scheduler.v1.CheckQueueService',
    definition: CheckQueueServiceService,
    implementation,
  };
}
