import { randomUUID } from 'node:crypto';
import {
  isLcApiError,
  LcApiDeadlineExceededError,
  LcApiRateLimitedError,
  LcApiUnavailableError,
  type LcApiClient,
} from '@checkwire/lc-api';
import {
  callbackKey,
  investigationId,
  parseInvestigationId,
  rootInvestigationId,
  type LcResponseBody,
} from '@checkwire/lc-wire';
import type { Callback, DescribeResponse, SensorTask } from '@checkwire/proto';
import { createLogger } from '@checkwire/log';
import type { Route } from './route.js';

/**
 * lcservice's InteractiveService, done by the gateway for a handler that describes itself
 * `interactive`: the D&R rule that reports the sensors' replies, the tasks a handler's answer asks
 * for, and telling a reply from an ordinary detection. Only the gateway holds the secret the
 * callback keys are made from, and it calls LimaCharlie with the JWT of the callback at hand.
 */

/** The D&R rule's namespace in lcservice 1.8 (later lcservice: `managed`). */
export const RULE_NAMESPACE = 'replicant';

/** The etypes lcservice's InteractiveService always implements (it hooks them). */
export const INTERACTIVE_ETYPES = ['detection', 'org_install', 'org_uninstall', 'org_per_1h'];

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

/** What a `detection` callback is for an interactive route. */
export type DetectionKind =
  | { kind: 'detection' }
  | { kind: 'answer'; body: LcResponseBody }
  | { kind: 'reply'; replyCallback: string; jobId: string; context: string; event: object };

const LOG = createLogger('lc-gateway');

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export class InteractiveCalls {
  /** Per route: callback key → reply callback name, for the reply callbacks last described. */
  private readonly keys = new WeakMap<Route, { of: readonly string[]; map: Map<string, string> }>();

  constructor(private readonly lc: LcApiClient) {}

  /**
   * lcservice's `_interactiveOnDetection`: an event whose investigation id starts with
   * `svc-<service>-ex` is a reply. Fewer than four `/`-separated parts is what raised in
   * lcservice (answered as an exception: a retry); an unknown key is `False` (failure, no retry);
   * anything else is an ordinary detection for OnDetection.
   */
  classify(
    route: Route,
    described: DescribeResponse,
    data: Record<string, unknown>,
  ): DetectionKind {
    const event = isObject(data.detect) ? data.detect : {};
    const routing = isObject(event.routing) ? event.routing : {};
    const id = routing.investigation_id;
    if (typeof id !== 'string' || !id.startsWith(rootInvestigationId(route.name))) {
      return { kind: 'detection' };
    }
    const parsed = parseInvestigationId(id);
    if (parsed === undefined) {
      const errorId = randomUUID();
      const shown = JSON.stringify(id.slice(0, 200));
      LOG.warn(`error ${errorId}: ${route.name}: investigation id ${shown} has fewer than 4 parts`);
      const message = `malformed investigation id (error id ${errorId})`;
      return {
        kind: 'answer',
        body: { success: false, retry: true, data: { exception: message }, error: message },
      };
    }
    const replyCallback = this.keyMap(route, described).get(parsed.key);
    if (replyCallback === undefined) {
      LOG.warn(`${route.name}: unknown callback key ${JSON.stringify(parsed.key.slice(0, 64))}`);
      return { kind: 'answer', body: { success: false, retry: false, data: {} } };
    }
    return { kind: 'reply', replyCallback, jobId: parsed.jobId, context: parsed.context, event };
  }

  /** Puts `svc-<service>-ex` (replacing it), as lcservice on org_install and org_per_1h. */
  async pushRule(
    route: Route,
    cb: Callback,
    timeoutMs: number,
  ): Promise<LcResponseBody | undefined> {
    try {
      await this.lc.putRule({
        oid: cb.oid,
        jwt: cb.jwt,
        name: rootInvestigationId(route.name),
        namespace: RULE_NAMESPACE,
        ...interactiveRule(route.name),
        isReplace: true,
        timeoutMs,
      });
      return undefined;
    } catch (err) {
      // lcservice raised here: an exception, answered with a retry.
      const message = `the D&R rule of ${route.name} was not pushed: ${describe(err, route)}`;
      return { success: false, retry: true, data: { exception: message }, error: message };
    }
  }

  /** Deletes the rule, as lcservice on org_uninstall: a failure is only logged. */
  async removeRule(route: Route, cb: Callback, timeoutMs: number): Promise<void> {
    try {
      await this.lc.deleteRule({
        oid: cb.oid,
        jwt: cb.jwt,
        name: rootInvestigationId(route.name),
        namespace: RULE_NAMESPACE,
        timeoutMs,
      });
    } catch (err) {
      LOG.warn(
        `the D&R rule of ${route.name} in org ${cb.oid} was not deleted: ${describe(err, route)}`,
      );
    }
  }

  /**
   * Sends the tasks a handler's answer asked for, in order, each with its investigation id. The
   * first that fails stops the rest and becomes the answer: a retry when LimaCharlie may take it
   * later (unavailable, rate limited, out of time), a failure otherwise.
   */
  async sendTasks(
    route: Route,
    described: DescribeResponse,
    cb: Callback,
    tasks: readonly SensorTask[],
    deadlineAt: number,
  ): Promise<LcResponseBody | undefined> {
    const fail = (error: string, retry = false): LcResponseBody => ({
      success: false,
      retry,
      data: {},
      error,
    });
    if (tasks.length === 0) return undefined;
    if (!described.interactive) {
      return fail(`handler ${route.name} asked to task sensors but is not interactive`);
    }
    for (const [i, task] of tasks.entries()) {
      if (!described.replyCallbacks.includes(task.callback)) {
        return fail(`handler ${route.name} asked for an undeclared reply callback (task ${i})`);
      }
      if (task.jobId.includes('/')) {
        return fail(`handler ${route.name} named a job id with "/" (task ${i})`);
      }
      const timeoutMs = deadlineAt - Date.now();
      if (timeoutMs <= 0)
        return fail('the callback ran out of time before its tasks were sent', true);
      const key = callbackKey(route.config.secret, task.callback);
      try {
        await this.lc.taskSensor({
          oid: cb.oid,
          jwt: cb.jwt,
          sid: task.sid,
          tasks: task.commands,
          investigationId: investigationId(route.name, key, task.jobId, task.context),
          timeoutMs,
        });
      } catch (err) {
        const sent = i === 0 ? '' : ` (${i} sent before it)`;
        const transient =
          err instanceof LcApiUnavailableError ||
          err instanceof LcApiRateLimitedError ||
          err instanceof LcApiDeadlineExceededError;
        return fail(
          `task ${i} of handler ${route.name} failed${sent}: ${describe(err, route)}`,
          transient,
        );
      }
    }
    return undefined;
  }

  private keyMap(route: Route, described: DescribeResponse): Map<string, string> {
    const known = this.keys.get(route);
    if (known !== undefined && known.of === described.replyCallbacks) return known.map;
    const map = new Map(
      described.replyCallbacks.map((n) => [callbackKey(route.config.secret, n), n]),
    );
    this.keys.set(route, { of: described.replyCallbacks, map });
    return map;
  }
}

/** An LcApiError's message (made to be shown: it never holds the JWT); anything else by id. */
function describe(err: unknown, route: Route): string {
  if (isLcApiError(err)) return err.message;
  return `error id ${LOG.failure(`${route.name}: LimaCharlie API call`, err)}`;
}
