import { HANDLER_ETYPES } from '@checkwire/lc-wire';
import { ParameterType, type DescribeResponse, type RequestParameter } from '@checkwire/proto';
import type { Job } from './job.js';
import type { HandlerAnswer } from './response.js';

/** What a callback receives (lcservice passes the same as `request`). */
export interface CallbackContext {
  etype: string;
  oid: string;
  /** The org's JWT, to call LimaCharlie's API on its behalf. */
  jwt: string;
  mid: string;
  /** When LimaCharlie stops waiting (also the gRPC deadline of this call). */
  deadline: Date | undefined;
  data: Record<string, unknown>;
  /** Per-sensor callbacks: the sensor id. */
  sid: string;
  serviceName: string;
  /** Aborted when the gateway gives up (deadline, cancel). */
  signal: AbortSignal;
  /**
   * lcservice's `sensor.task(command, callback=, ctx=, job=)`, for an InteractiveService: the
   * gateway sends it once this callback has answered (and its jobs are stored), and the sensor's
   * reply comes back to the reply callback named `callback`, with `context` and `job`. A task that
   * cannot be sent makes this callback's answer a failure. Throws in a service that is not
   * interactive, or for a callback the service did not declare.
   */
  task(
    sensor: string,
    command: string | readonly string[],
    callback: string,
    context?: string,
    job?: Job,
  ): void;
}

export type Callback = (ctx: CallbackContext) => Promise<HandlerAnswer> | HandlerAnswer;

export interface ParameterSpec {
  type: 'int' | 'str' | 'bool' | 'enum';
  desc?: string;
  isRequired?: boolean;
  /** enum only */
  values?: string[];
}

const PARAMETER_TYPES: Record<ParameterSpec['type'], ParameterType> = {
  int: ParameterType.PARAMETER_TYPE_INT,
  str: ParameterType.PARAMETER_TYPE_STR,
  bool: ParameterType.PARAMETER_TYPE_BOOL,
  enum: ParameterType.PARAMETER_TYPE_ENUM,
};

/** The callbacks a service may implement, named as in lcservice (methods, all optional). */
export interface Callbacks {
  onRequest?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  onDetection?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  onLogEvent?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  onDeploymentEvent?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  onNewSensor?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  onOrgInstalled?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  onOrgUninstalled?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  onServiceError?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every1HourGlobally?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every3HourGlobally?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every12HourGlobally?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every24HourGlobally?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every7DayGlobally?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every30DayGlobally?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every1HourPerOrg?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every3HourPerOrg?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every12HourPerOrg?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every24HourPerOrg?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every7DayPerOrg?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every30DayPerOrg?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every1HourPerSensor?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every3HourPerSensor?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every12HourPerSensor?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every24HourPerSensor?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every7DayPerSensor?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
  every30DayPerSensor?(ctx: CallbackContext): Promise<HandlerAnswer> | HandlerAnswer;
}

export type CallbackName = keyof Callbacks;

// The callbacks are optional methods of every service (declaration merging gives subclasses their
// types without runtime stubs, so "is it implemented?" stays "is the method defined?").
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface LcService extends Callbacks {}

/**
 * A LimaCharlie service, shaped like lcservice's `Service`: subclass it and define the callbacks
 * you implement (`onRequest`, `onDetection`, `every1HourPerOrg`, …); the rest answer "not
 * implemented". Declare parameters, detection subscriptions and resources in the constructor.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class LcService {
  readonly startTime = new Date();
  private readonly parameters: Record<string, RequestParameter> = {};
  private readonly detections = new Set<string>();
  private readonly resources = new Map<string, { category: string; content: Buffer }>();

  constructor(readonly name: string) {}

  protected setRequestParameters(params: Record<string, ParameterSpec>): void {
    for (const [name, p] of Object.entries(params)) {
      this.parameters[name] = {
        type: PARAMETER_TYPES[p.type],
        values: p.values ?? [],
        isRequired: p.isRequired ?? false,
        description: p.desc ?? '',
      };
    }
  }

  protected subscribeToDetect(detectionName: string): void {
    this.detections.add(detectionName);
  }

  protected publishResource(name: string, category: string, content: Uint8Array | string): void {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    this.resources.set(name, { category, content: bytes });
  }

  /** The callback for a wire etype, if this service implements it. */
  callbackFor(etype: string): Callback | undefined {
    const method = HANDLER_ETYPES[etype] as CallbackName | undefined;
    if (method === undefined) return undefined;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- bound to this service below
    const fn = this[method];
    return typeof fn === 'function' ? fn.bind(this) : undefined;
  }

  describe(): DescribeResponse {
    return {
      startTime: this.startTime,
      callbacks: Object.keys(HANDLER_ETYPES).filter((e) => this.callbackFor(e) !== undefined),
      detectSubscriptions: [...this.detections],
      requestParameters: { ...this.parameters },
      resources: [...this.resources].map(([name, r]) => ({ name, ...r })),
      interactive: false,
      replyCallbacks: [],
    };
  }
}
