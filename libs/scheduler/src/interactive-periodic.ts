import {
  CachedDescribe,
  isLcApiError,
  putInteractiveRule,
  sendInteractiveTasks,
  type LcApiClient,
  type TasksNotSent,
} from '@checkwire/lc-api';
import { GrpcStatus, isGrpcError, type PromiseClient } from '@checkwire/grpc';
import { createLogger } from '@checkwire/log';
import type { DescribeResponse, LcHandlerServiceService, SensorTask } from '@checkwire/proto';

/** What of a handler's Describe matters here. */
type Described = Pick<DescribeResponse, 'interactive' | 'replyCallbacks'>;

const LOG = createLogger('scheduler');

type HandlerClient = PromiseClient<typeof LcHandlerServiceService>;

/** The periodic callback lcservice's InteractiveService hooks to put its D&R rule back. */
const RULE_ETYPE = 'org_per_1h';

/** One periodic callback as the worker delivers it. */
export interface PeriodicCall {
  serviceName: string;
  etype: string;
  oid: string;
  /** The org's JWT as the registry keeps it. */
  jwt: string;
  /** Epoch ms by which everything for this callback must be done. */
  deadlineAt: number;
}

/**
 * lcservice's InteractiveService for the periodic callbacks the scheduler delivers itself (they
 * never pass through the gateway): on each `org_per_1h` of a handler that describes itself
 * `interactive`, put its D&R rule back with the org's stored JWT; send the sensor tasks of any
 * periodic answer with their investigation ids, made from the handler's secret (without one, the
 * tasks are not sent and a warning says so).
 */
export class InteractivePeriodic {
  /** Each handler's Describe, by name, trusted DESCRIBE_TTL_MS (as the gateway trusts it). */
  private readonly described = new Map<string, CachedDescribe<Described, [deadlineMs: number]>>();

  constructor(
    private readonly lc: LcApiClient,
    /** Handler name → the route's secret (as the gateway has it). */
    private readonly secrets: ReadonlyMap<string, string>,
  ) {}

  /** After the handler answered (or does not implement) the callback: the rule, on org_per_1h. */
  async putRule(client: HandlerClient, call: PeriodicCall): Promise<TasksNotSent | undefined> {
    if (call.etype !== RULE_ETYPE || call.oid === '') return undefined;
    let described: Described;
    try {
      described = await this.describe(client, call);
    } catch (err) {
      return { error: `describing handler ${call.serviceName}: ${grpcText(err)}`, retry: true };
    }
    if (!described.interactive) return undefined;
    try {
      await putInteractiveRule(this.lc, call, remaining(call));
      return undefined;
    } catch (err) {
      // lcservice raised here: an exception, answered with a retry.
      return {
        error: `the D&R rule of ${call.serviceName} was not pushed: ${this.describeError(err, call)}`,
        retry: true,
      };
    }
  }

  /** The tasks of the handler's answer, once its jobs are stored. */
  async sendTasks(
    client: HandlerClient,
    call: PeriodicCall,
    tasks: readonly SensorTask[],
  ): Promise<TasksNotSent | undefined> {
    if (tasks.length === 0) return undefined;
    const secret = this.secrets.get(call.serviceName);
    if (secret === undefined) {
      LOG.warn(
        `${call.serviceName} answered ${call.etype} for ${call.oid} with ${tasks.length} sensor task(s), not sent: its SCHEDULER_LC_HANDLERS entry has no "secret" (the route's), which the investigation ids are made from`,
      );
      return undefined;
    }
    let described: Described;
    try {
      described = await this.describe(client, call);
    } catch (err) {
      return { error: `describing handler ${call.serviceName}: ${grpcText(err)}`, retry: true };
    }
    return sendInteractiveTasks(this.lc, {
      ...call,
      secret,
      interactive: described.interactive,
      replyCallbacks: described.replyCallbacks,
      tasks,
      deadlineAt: call.deadlineAt,
      describe: (err) => this.describeError(err, call),
    });
  }

  /**
   * The handler's Describe (see CachedDescribe: trusted DESCRIBE_TTL_MS, the last good answer
   * standing in while it cannot be asked); one without Describe is not interactive.
   */
  private describe(client: HandlerClient, call: PeriodicCall): Promise<Described> {
    let cached = this.described.get(call.serviceName);
    if (cached === undefined) {
      cached = new CachedDescribe(async (deadlineMs: number): Promise<Described> => {
        try {
          return await client.describe({}, { deadlineMs });
        } catch (err) {
          if (!isGrpcError(err, GrpcStatus.UNIMPLEMENTED)) throw err;
          return { interactive: false, replyCallbacks: [] };
        }
      });
      this.described.set(call.serviceName, cached);
    }
    return cached.get(remaining(call));
  }

  /** An LcApiError's message (it never holds the JWT); anything else by error id. */
  private describeError(err: unknown, call: PeriodicCall): string {
    if (isLcApiError(err)) return err.message;
    return `error id ${LOG.failure(`${call.serviceName}: LimaCharlie API call`, err)}`;
  }
}

const remaining = (call: PeriodicCall) => Math.max(1, call.deadlineAt - Date.now());

const grpcText = (err: unknown) =>
  isGrpcError(err) ? `${GrpcStatus[err.code]}: ${err.details}` : String(err);
