import { randomUUID } from 'node:crypto';
import {
  deleteInteractiveRule,
  isLcApiError,
  putInteractiveRule,
  replyDetection,
  sendInteractiveTasks,
  type LcApiClient,
} from '@checkwire/lc-api';
import {
  callbackKey,
  isJsonObject as isObject,
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

// The rule, its namespace and the task sending are @checkwire/lc-api's (the scheduler sends the
// same for its own org_per_1h); the reply detection's name is re-exported for callback.ts.
export { replyDetection };

/** The etypes lcservice's InteractiveService always implements (it hooks them). */
export const INTERACTIVE_ETYPES = ['detection', 'org_install', 'org_uninstall', 'org_per_1h'];

/** What a `detection` callback is for an interactive route. */
export type DetectionKind =
  | { kind: 'detection' }
  | { kind: 'answer'; body: LcResponseBody }
  | { kind: 'reply'; replyCallback: string; jobId: string; context: string; event: object };

const LOG = createLogger('lc-gateway');

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
      await putInteractiveRule(this.lc, orgOf(route, cb), timeoutMs);
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
      await deleteInteractiveRule(this.lc, orgOf(route, cb), timeoutMs);
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
    const failed = await sendInteractiveTasks(this.lc, {
      ...orgOf(route, cb),
      secret: route.config.secret,
      interactive: described.interactive,
      replyCallbacks: described.replyCallbacks,
      tasks,
      deadlineAt,
      describe: (err) => describe(err, route),
    });
    return failed === undefined
      ? undefined
      : { success: false, retry: failed.retry, data: {}, error: failed.error };
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

const orgOf = (route: Route, cb: Callback) => ({
  serviceName: route.name,
  oid: cb.oid,
  jwt: cb.jwt,
});

/** An LcApiError's message (made to be shown: it never holds the JWT); anything else by id. */
function describe(err: unknown, route: Route): string {
  if (isLcApiError(err)) return err.message;
  return `error id ${LOG.failure(`${route.name}: LimaCharlie API call`, err)}`;
}
