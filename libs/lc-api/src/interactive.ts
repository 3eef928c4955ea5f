import { callbackKey, investigationId, rootInvestigationId } from '@checkwire/lc-wire';
import type { LcApiClient } from './lc-api.client.js';
import {
  LcApiDeadlineExceededError,
  LcApiRateLimitedError,
  LcApiUnavailableError,
} from './lc-api.errors.js';

/**
 * lcservice's InteractiveService, as far as it calls LimaCharlie: the D&R rule `svc-<name>-ex`
 * that reports the sensors' replies, and the tasks an answer asks for, each with its
 * investigation id. One definition for whoever delivers callbacks (the LC gateway for
 * LimaCharlie's, the scheduler for its own periodic ones).
 */

/** The D&R rule's namespace in lcservice 1.8 (later lcservice: `managed`). */
export const INTERACTIVE_RULE_NAMESPACE = 'replicant';

/** lcservice's `_interactiveRule`: report every non-notification event carrying our ids. */
export function interactiveRule(serviceName: string): {
  detect: Record<string, unknown>;
  respond: unknown[];
} {
  const root = rootInvestigationId(serviceName);
  return {
    detect: {
      op: 'and',
      rules: [
        { op: 'starts with', path: 'routing/investigation_id', value: root },
        { op: 'is', not: true, path: 'routing/event_type', value: 'CLOUD_NOTIFICATION' },
      ],
    },
    respond: [{ action: 'report', name: `__${root}` }],
  };
}

/** The detection name the rule reports, which an interactive service subscribes to. */
export const replyDetection = (serviceName: string): string =>
  `__${rootInvestigationId(serviceName)}`;

/** One org of one service, with the JWT to act for it. */
export interface InteractiveOrg {
  serviceName: string;
  oid: string;
  jwt: string;
}

/** Puts `svc-<service>-ex` (replacing it), as lcservice on org_install and org_per_1h. Throws LcApiError. */
export async function putInteractiveRule(
  lc: LcApiClient,
  org: InteractiveOrg,
  timeoutMs: number,
): Promise<void> {
  await lc.putRule({
    oid: org.oid,
    jwt: org.jwt,
    name: rootInvestigationId(org.serviceName),
    namespace: INTERACTIVE_RULE_NAMESPACE,
    ...interactiveRule(org.serviceName),
    isReplace: true,
    timeoutMs,
  });
}

/** Deletes the rule, as lcservice on org_uninstall. Throws LcApiError. */
export async function deleteInteractiveRule(
  lc: LcApiClient,
  org: InteractiveOrg,
  timeoutMs: number,
): Promise<void> {
  await lc.deleteRule({
    oid: org.oid,
    jwt: org.jwt,
    name: rootInvestigationId(org.serviceName),
    namespace: INTERACTIVE_RULE_NAMESPACE,
    timeoutMs,
  });
}

/** lcservice's `sensor.task(tasks, callback=, job=, ctx=)`, as a handler's answer asks for it. */
export interface InteractiveTask {
  sid: string;
  commands: readonly string[];
  /** A reply callback the handler declared. */
  callback: string;
  context: string;
  /** Empty: none. Must not contain `/`. */
  jobId: string;
}

export interface InteractiveTasks extends InteractiveOrg {
  /** The service's secret (the route's): callback keys are made from it. */
  secret: string;
  /** Whether the handler describes itself interactive (only those task sensors). */
  interactive: boolean;
  /** The reply callbacks it declared. */
  replyCallbacks: readonly string[];
  tasks: readonly InteractiveTask[];
  /** Epoch ms by which every task must be sent. */
  deadlineAt: number;
  /** An error's text for the answer (an LcApiError's message; anything else by error id). */
  describe: (err: unknown) => string;
}

/** Why tasks were not (all) sent, and whether trying again later may help. */
export interface TasksNotSent {
  error: string;
  retry: boolean;
}

/**
 * Sends the tasks, in order, each with its investigation id. The first that fails stops the rest:
 * a retry when LimaCharlie may take it later (unavailable, rate limited, out of time), a failure
 * otherwise. Undefined when every task was sent.
 */
export async function sendInteractiveTasks(
  lc: LcApiClient,
  t: InteractiveTasks,
): Promise<TasksNotSent | undefined> {
  const name = t.serviceName;
  if (t.tasks.length === 0) return undefined;
  if (!t.interactive) {
    return { error: `handler ${name} asked to task sensors but is not interactive`, retry: false };
  }
  for (const [i, task] of t.tasks.entries()) {
    if (!t.replyCallbacks.includes(task.callback)) {
      return {
        error: `handler ${name} asked for an undeclared reply callback (task ${i})`,
        retry: false,
      };
    }
    if (task.jobId.includes('/')) {
      return { error: `handler ${name} named a job id with "/" (task ${i})`, retry: false };
    }
    const timeoutMs = t.deadlineAt - Date.now();
    if (timeoutMs <= 0) {
      return { error: 'the callback ran out of time before its tasks were sent', retry: true };
    }
    const key = callbackKey(t.secret, task.callback);
    try {
      await lc.taskSensor({
        oid: t.oid,
        jwt: t.jwt,
        sid: task.sid,
        tasks: task.commands,
        investigationId: investigationId(name, key, task.jobId, task.context),
        timeoutMs,
      });
    } catch (err) {
      const sent = i === 0 ? '' : ` (${i} sent before it)`;
      const transient =
        err instanceof LcApiUnavailableError ||
        err instanceof LcApiRateLimitedError ||
        err instanceof LcApiDeadlineExceededError;
      return {
        error: `task ${i} of handler ${name} failed${sent}: ${t.describe(err)}`,
        retry: transient,
      };
    }
  }
  return undefined;
}
