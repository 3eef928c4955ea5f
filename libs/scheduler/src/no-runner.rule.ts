import type { CheckTaskRow } from '@checkwire/db';
import { createLogger } from '@checkwire/log';
import { ServiceErrorKind } from '@checkwire/proto';
import type { CheckSettings } from './check-settings.js';
import type { Clock } from './clock.js';
import { givenUpEntry, type GiveUpRule } from './give-up-sweeper.js';
import {
  lastSeenByPool,
  unservedTasks,
  waitingWithoutRunners,
} from './runner-presence.repository.js';

const LOG = createLogger('scheduler');

/** How a pool is named to people, and how a runner is started for it. */
function describePool(pool: string): { name: string; start: string } {
  return pool === ''
    ? { name: 'the default pool', start: 'start a runner without RUNNER_POOLS' }
    : { name: `pool "${pool}"`, start: `start a runner with RUNNER_POOLS=${pool}` };
}

/** Why nobody ran the check, and what the white team can do about it. */
export function noRunnerMessage(pool: string, lastSeen: Date | undefined): string {
  const { name, start } = describePool(pool);
  const since =
    lastSeen === undefined
      ? 'no runner has ever claimed checks for it'
      : `its last runner claimed checks at ${lastSeen.toISOString()}`;
  return `not checked: no runner serves ${name} (${since}); ${start}, or move the service to a pool that has one`;
}

/**
 * Checks nobody can run end as a score of 0 with a ServiceError of kind NO_RUNNER instead of
 * waiting in the queue for ever: queued and due for a liveness window with attempts left, while
 * runners do claim (some runner claimed in the window) but none serving their pool did, and no
 * check of their pool is leased. The window is `livenessMs`, or twice the check time limit if
 * longer. Nothing is judged until this replica has run a whole window (after an outage, runners
 * need time to come back), and while no runner at all claims, the waiting checks are logged, not
 * scored: runners that cannot reach the scheduler are Checkwire's trouble, not the service's.
 */
export function noRunnerRule(
  settings: CheckSettings,
  clock: Clock,
  livenessMs: number,
): GiveUpRule {
  const startedAt = clock.now().getTime();
  let warnedAt = -Infinity;
  return {
    verdict: 'no_runner',
    find: async (trx, now) => {
      const { checkTimeoutMs, maxAttempts } = await settings.current();
      const windowMs = Math.max(livenessMs, 2 * checkTimeoutMs);
      if (now.getTime() - startedAt < windowMs) return [];
      const tasks = await unservedTasks(trx, { now, windowMs, maxAttempts, limit: 100 });
      if (tasks.length === 0 && now.getTime() - warnedAt >= windowMs) {
        const waiting = await waitingWithoutRunners(trx, { now, windowMs, maxAttempts });
        if (waiting > 0) {
          warnedAt = now.getTime();
          LOG.warn(
            `${waiting} checks have waited ${windowMs / 1000} s and no runner has claimed any: start runners (apps/runner) or check they reach the scheduler`,
          );
        }
      }
      return tasks;
    },
    entries: async (db, tasks: CheckTaskRow[]) => {
      const seen = await lastSeenByPool(db, [...new Set(tasks.map((t) => t.pool))]);
      return tasks.map((t) =>
        givenUpEntry(
          t,
          ServiceErrorKind.SERVICE_ERROR_KIND_NO_RUNNER,
          noRunnerMessage(t.pool, seen.get(t.pool)),
        ),
      );
    },
  };
}
