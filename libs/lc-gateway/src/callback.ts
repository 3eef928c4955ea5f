import { createHash } from 'node:crypto';
import type { PromiseClient } from '@checkwire/grpc';
import {
  HANDLER_ETYPES,
  NOT_IMPLEMENTED,
  type LcJob,
  type LcRequestBody,
  type LcResponseBody,
} from '@checkwire/lc-wire';
import type {
  Callback,
  CallbackResult,
  DescribeResponse,
  JobsServiceService,
  LcRegistryServiceService,
} from '@checkwire/proto';
import { answerName, callbackStarted, recordCallback } from './callback-metrics.js';
import { failure, handlerFailure, jobsFailure, logged, retry } from './handler-failures.js';
import { INTERACTIVE_ETYPES, replyDetection, type InteractiveCalls } from './interactive.js';
import { JwtRefresher } from './jwt-refresh.js';
import { lcJob } from './lc-jobs.js';
import { describeParameters, invalidParameter } from './request-parameters.js';
import type { Route } from './route.js';

/** Most jobs one response carries; the rest go with the next callbacks. */
const TAKE_LIMIT = 100;

/**
 * A callback's answer, and what to do once it has been written to LimaCharlie: confirm the job
 * changes it carries, so they are marked delivered only then (unconfirmed, they are given again
 * after their lease).
 */
export interface CallbackAnswer {
  body: LcResponseBody;
  afterSent?: () => void;
  /** The caller had gone: what the answer carried is still to be delivered. */
  notSent?: () => void;
}

export type JobsClient = PromiseClient<typeof JobsServiceService>;
export type RegistryClient = PromiseClient<typeof LcRegistryServiceService>;

export interface CallbackOptions {
  /** How long a handler gets when the body names no deadline. */
  defaultDeadlineMs: number;
  /** Kept back from LimaCharlie's deadline, so the answer reaches it in time. */
  deadlineMarginMs: number;
  /** How long job changes taken for an answer stay leased before they go out again. */
  jobLeaseSeconds: number;
}

/** Turns one verified LimaCharlie callback into the lcservice response. */
export class CallbackProcessor {
  /** Passes fresh JWTs of installed orgs on to the registry (none without one). */
  private readonly jwts: JwtRefresher | undefined;

  constructor(
    private readonly jobs: JobsClient,
    private readonly options: CallbackOptions,
    /** Tasks, rules and replies of interactive handlers (lcservice's InteractiveService). */
    private readonly interactive: InteractiveCalls,
    /** Told of installs, uninstalls and new sensors, for the scheduler's periodic callbacks. */
    private readonly registry?: RegistryClient,
  ) {
    this.jwts = registry === undefined ? undefined : new JwtRefresher(registry);
  }

  /** As `answer`, counted and timed by etype and answer (checkwire.lc.callback.duration). */
  async process(route: Route, body: LcRequestBody): Promise<CallbackAnswer> {
    const started = callbackStarted();
    const etype = typeof body.etype === 'string' ? body.etype : '';
    try {
      const answer = await this.answer(route, body);
      recordCallback(etype, answerName(answer.body), started);
      return answer;
    } catch (err) {
      recordCallback(etype, 'error', started);
      throw err;
    }
  }

  private async answer(route: Route, body: LcRequestBody): Promise<CallbackAnswer> {
    if (typeof body.version === 'number' && body.version > 1) {
      return {
        body: { success: false, retry: false, data: { error: 'unsupported version (> 1)' } },
      };
    }
    const etype = typeof body.etype === 'string' ? body.etype : '';
    // Installs record their JWT themselves; an uninstall's is of no more use.
    if (etype !== 'org_install' && etype !== 'org_uninstall' && typeof body.oid === 'string') {
      this.jwts?.seen(route.name, body.oid, typeof body.jwt === 'string' ? body.jwt : '');
    }
    if (etype === 'health') return { body: await this.health(route) };
    if (etype === 'get_resource') return { body: await this.resource(route, body.data ?? {}) };
    const method = HANDLER_ETYPES[etype];
    if (method === undefined) return { body: NOT_IMPLEMENTED };
    return this.callHandler(route, etype, method, body);
  }

  /**
   * lcservice's framework always answers health: from the handler's last successful Describe
   * when it cannot be asked now. A handler never described is a retry (an empty `mtd` would tell
   * LimaCharlie the service subscribes to nothing).
   */
  private async health(route: Route): Promise<LcResponseBody> {
    let d;
    try {
      d = await route.describe();
    } catch (err) {
      return handlerFailure(route, err);
    }
    // An InteractiveService subscribes to its rule's detection and hooks four callbacks.
    const plus = (list: string[], more: string[]) =>
      d.interactive ? [...new Set([...list, ...more])] : list;
    return {
      success: true,
      data: {
        version: 1,
        start_time: Math.floor((d.startTime?.getTime() ?? 0) / 1000),
        calls_in_progress: route.inProgress,
        mtd: {
          detect_subscriptions: plus(d.detectSubscriptions, [replyDetection(route.name)]),
          callbacks: plus(d.callbacks, INTERACTIVE_ETYPES),
          request_params: describeParameters(d.requestParameters),
        },
      },
    };
  }

  private async resource(route: Route, data: Record<string, unknown>): Promise<LcResponseBody> {
    let resources;
    try {
      resources = (await route.describe()).resources;
    } catch (err) {
      return handlerFailure(route, err);
    }
    const withData = data.is_include_data === true;
    const render = (name: unknown) => {
      const r = resources.find((x) => x.name === name);
      if (r === undefined) return undefined;
      const content = Buffer.from(r.content);
      return {
        hash: createHash('sha256').update(content).digest('hex'),
        res_cat: r.category,
        ...(withData ? { res_data: content.toString('base64') } : {}),
      };
    };
    const unavailable = { success: false, retry: false, data: { error: 'resource not available' } };
    if (Array.isArray(data.resource)) {
      // No prototype: a resource named `__proto__` is a key like any other.
      const out = Object.create(null) as Record<string, unknown>;
      for (const name of data.resource) {
        const one = render(name);
        if (one === undefined) return unavailable;
        out[String(name)] = one;
      }
      return { success: true, data: { resources: out } };
    }
    const one = render(data.resource);
    return one === undefined ? unavailable : { success: true, data: one };
  }

  private async callHandler(
    route: Route,
    etype: string,
    method: string,
    body: LcRequestBody,
  ): Promise<CallbackAnswer> {
    const answer = await this.handlerAnswer(route, etype, method, body);
    return 'body' in answer ? answer : { body: answer };
  }

  private async handlerAnswer(
    route: Route,
    etype: string,
    method: string,
    body: LcRequestBody,
  ): Promise<LcResponseBody | CallbackAnswer> {
    const data = body.data ?? {};
    const oid = typeof body.oid === 'string' ? body.oid : '';
    // Described only where the declarations decide something (cached; the last good one while
    // the handler cannot be asked).
    let described: DescribeResponse | undefined;
    if (etype === 'request' || INTERACTIVE_ETYPES.includes(etype)) {
      try {
        described = await route.describe();
      } catch (err) {
        return handlerFailure(route, err);
      }
    }
    if (described !== undefined && etype === 'request') {
      const problem = invalidParameter(described.requestParameters, data);
      if (problem !== undefined) return failure(problem);
    }
    const deadlineMs =
      typeof body.deadline === 'number'
        ? body.deadline * 1000 - Date.now() - this.options.deadlineMarginMs
        : this.options.defaultDeadlineMs;
    if (deadlineMs <= 0) return retry('the callback arrived after its deadline');
    const deadlineAt = Date.now() + deadlineMs;

    const callback: Callback = {
      etype,
      oid,
      jwt: typeof body.jwt === 'string' ? body.jwt : '',
      mid: typeof body.mid === 'string' ? body.mid : '',
      deadline: typeof body.deadline === 'number' ? new Date(body.deadline * 1000) : undefined,
      data,
      serviceName: route.name,
      sid: typeof data.sid === 'string' ? data.sid : '',
    };
    const interactive = described?.interactive === true;
    let rpc = method;
    let request: unknown = { callback };
    if (described !== undefined && interactive && etype === 'detection') {
      const kind = this.interactive.classify(route, described, data);
      if (kind.kind === 'answer') return kind.body;
      if (kind.kind === 'reply') {
        rpc = 'onTaskReply';
        const { replyCallback, jobId, context, event } = kind;
        request = { callback, replyCallback, jobId, context, event };
      }
    }
    // lcservice's InteractiveService implements these itself, calling the service's own if any.
    const hooked = interactive && INTERACTIVE_ETYPES.includes(etype) && rpc === method;
    let result: CallbackResult;
    route.inProgress++;
    try {
      const call = (route.client as unknown as Record<string, HandlerCall>)[rpc]!;
      const response = await call(request, { deadlineMs });
      result = response.result ?? {
        success: false,
        retry: true,
        data: {},
        error: '',
        jobs: [],
        tasks: [],
      };
    } catch (err) {
      const failed = handlerFailure(route, err);
      if (failed !== NOT_IMPLEMENTED) return failed;
      if (!hooked) {
        // A handler without org_install/new_sensor callbacks still has installed orgs and sensors.
        return (await this.register(route, etype, callback)) ?? failed;
      }
      result = { success: true, retry: false, data: {}, error: '', jobs: [], tasks: [] };
    } finally {
      route.inProgress--;
    }
    if (hooked) {
      const timeoutMs = Math.max(1, deadlineAt - Date.now());
      if (etype === 'org_uninstall') await this.interactive.removeRule(route, callback, timeoutMs);
      else if (etype !== 'detection') {
        const failed = await this.interactive.pushRule(route, callback, timeoutMs);
        if (failed !== undefined) return failed;
      }
    }
    if (result.success) {
      const failed = await this.register(route, etype, callback);
      if (failed !== undefined) return failed;
    }
    // Tasks go out once the jobs they name are stored: a reply never names an unknown job.
    return this.withJobs(route, oid, result, async () => {
      if (result.tasks.length === 0) return undefined;
      let d;
      try {
        d = described ?? (await route.describe());
      } catch (err) {
        return handlerFailure(route, err);
      }
      return this.interactive.sendTasks(route, d, callback, result.tasks, deadlineAt);
    });
  }

  /** Records installs, uninstalls and sensors with the scheduler; a retry answer if it cannot. */
  private async register(
    route: Route,
    etype: string,
    cb: Callback,
  ): Promise<LcResponseBody | undefined> {
    if (this.registry === undefined || cb.oid === '') return undefined;
    const serviceName = route.name;
    try {
      if (etype === 'org_install') {
        await this.registry.recordOrgInstalled({ serviceName, oid: cb.oid, jwt: cb.jwt });
      } else if (etype === 'org_uninstall') {
        await this.registry.recordOrgUninstalled({ serviceName, oid: cb.oid });
      } else if (etype === 'new_sensor' && cb.sid !== '') {
        await this.registry.recordSensors({ serviceName, oid: cb.oid, sensorIds: [cb.sid] });
      }
      return undefined;
    } catch (err) {
      const id = logged(`the scheduler did not record ${etype} of ${serviceName}/${cb.oid}`, err);
      return retry(`the scheduler could not record ${etype} (error id ${id})`);
    }
  }

  /**
   * Stores the jobs the handler returned, then attaches every change LimaCharlie has not seen,
   * confirmed to the Jobs service only once the answer has been written.
   */
  private async withJobs(
    route: Route,
    oid: string,
    result: CallbackResult,
    afterStored: () => Promise<LcResponseBody | undefined>,
  ): Promise<CallbackAnswer> {
    const response: LcResponseBody = { success: result.success, data: result.data ?? {} };
    if (!result.success) response.retry = result.retry;
    if (result.error !== '') response.error = result.error;
    if (result.jobs.length > 0) {
      try {
        await this.jobs.applyJobUpdates({ oid, serviceName: route.name, updates: result.jobs });
        route.undelivered.touch(oid);
      } catch (err) {
        // Not kept: a retry when another call may store them, a plain failure when it never will.
        return { body: jobsFailure(route, err) };
      }
    }
    const failed = await afterStored();
    if (failed !== undefined) return { body: failed };
    const taken = await this.undelivered(route, oid);
    if (taken === undefined) return { body: response };
    response.jobs = taken.jobs;
    return {
      body: response,
      afterSent: () => void this.confirm(route, oid, taken.deliveryId),
      // Given again once its lease runs out: keep asking for the org until then.
      notSent: () => route.undelivered.touch(oid),
    };
  }

  /** Leases what the org has undelivered; undefined when nothing is (or it cannot be had now). */
  private async undelivered(
    route: Route,
    oid: string,
  ): Promise<{ jobs: LcJob[]; deliveryId: string } | undefined> {
    const token = route.undelivered.mayHave(oid);
    if (token === undefined) return undefined;
    try {
      const { deltas, deliveryId, more } = await this.jobs.takeUndeliveredJobUpdates(
        {
          oid,
          serviceName: route.name,
          limit: TAKE_LIMIT,
          leaseSeconds: this.options.jobLeaseSeconds,
        },
        { deadlineMs: 5000 },
      );
      // Left for later (the limit, the size budget, or another gateway's lease): keep the org
      // pending, so the next callback asks again.
      if (!more) route.undelivered.taken(oid, token);
      return deltas.length === 0 ? undefined : { jobs: deltas.map(lcJob), deliveryId };
    } catch (err) {
      // Not taken, so still undelivered: the next callback for this org carries them.
      logged(`pending jobs of ${route.name}/${oid} not fetched`, err);
      return undefined;
    }
  }

  /** Marks the changes an answer carried delivered; if it cannot, they are sent again later. */
  private async confirm(route: Route, oid: string, deliveryId: string): Promise<void> {
    try {
      // Tried again (through a Jobs restart or a database blip) for most of the lease: an
      // answer written but not confirmed is sent again once the lease runs out (a duplicate).
      const leaseMs = this.options.jobLeaseSeconds * 1000;
      await this.jobs.confirmJobUpdatesDelivered(
        { deliveryId },
        {
          deadlineMs: Math.max(1000, leaseMs - 1000),
          retry: { maxAttempts: 1000, initialBackoffMs: 100, maxBackoffMs: 1000 },
        },
      );
    } catch (err) {
      route.undelivered.touch(oid);
      logged(
        `delivery ${deliveryId} of ${route.name}/${oid} not confirmed (sent again later)`,
        err,
      );
    }
  }
}

type HandlerCall = (
  request: unknown,
  options: { deadlineMs: number },
) => Promise<{ result?: CallbackResult }>;
