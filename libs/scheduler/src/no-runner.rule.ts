import type { CheckTaskRow } from '@checkwire/db';
import { ServiceErrorKind } from '@checkwire/proto';
import type { CheckSettings } from './check-settings.js';
import { givenUpEntry, type GiveUpRule } from './give-up-sweeper.js';
import { lastSeenByPool, unservedTasks } from './runner-presence.repository.js';

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
 * waiting in the queue for ever: queued and due for a liveness window, never claimed, and no
 * runner serving their pool claimed anything within that window. The window is `livenessMs`, or
 * twice the check time limit if longer (a runner whose slots are all busy claims again only once
 * some of its checks end).
 */
export function noRunnerRule(settings: CheckSettings, livenessMs: number): GiveUpRule {
  return {
    verdict: 'no_runner',
    find: async (trx, now) => {
      const { checkTimeoutMs } = await settings.current();
      const windowMs = Math.max(livenessMs, 2 * checkTimeoutMs);
      const since = new Date(now.getTime() - windowMs);
      return unservedTasks(trx, { now, dueBefore: since, liveSince: since, limit: 100 });
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
