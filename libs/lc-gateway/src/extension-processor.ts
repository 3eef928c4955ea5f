import {
  EXTENSION_PROTOCOL_VERSION,
  extensionError,
  extensionStatus,
  type ExtensionEnvelope,
  type ExtensionMessage,
  type ExtensionResponseBody,
  type RequestSchema,
  type SchemaRequestData,
} from '@checkwire/lc-wire';
import { createLogger } from '@checkwire/log';
import type {
  DescribeExtensionResponse,
  ExtensionCall,
  ExtensionOrg,
  ExtensionResponse,
} from '@checkwire/proto';
import { storeContinuations, type ContinuationClient } from './extension-continuations.js';
import { extensionHandlerFailure, UNIMPLEMENTED } from './extension-failures.js';
import type { ExtensionOrgs } from './extension-orgs.js';
import {
  extensionAnswerName,
  extensionStarted,
  recordExtensionMessage,
} from './extension-metrics.js';
import type { ExtensionRoute } from './extension-route.js';
import { parameterProblem } from './extension-schema-check.js';

const LOG = createLogger('lc-gateway');

export interface ExtensionOptions {
  /** How long LimaCharlie waits for an answer, from the message's arrival (EXTENSION_TIMEOUT_MS). */
  timeoutMs: number;
  /** Kept back from that for the answer's way back. */
  deadlineMarginMs: number;
}

/** What the gateway answers one verified extension message: lc-extension's status and body. */
export interface ExtensionAnswer {
  status: 200 | 400 | 500;
  body: ExtensionResponseBody;
}

const success = (data: unknown): ExtensionResponseBody => ({
  version: EXTENSION_PROTOCOL_VERSION,
  error: '',
  data: data ?? {},
});

/** What one message needs on its way to the handler. */
interface Call {
  route: ExtensionRoute;
  envelope: ExtensionEnvelope;
  /** Epoch ms when the gateway stops waiting for the handler. */
  deadlineAt: number;
}

type HandlerRpc = (
  request: unknown,
  options: { deadlineMs: number },
) => Promise<{ response?: ExtensionResponse }>;

/**
 * A metric lc-extension could not read (it reads a uint64): the handler's fault, answered as a
 * retriable error naming the SKU (the handler may answer well next time), and logged.
 */
function metricProblem(
  route: ExtensionRoute,
  response: ExtensionResponse,
): ExtensionResponseBody | undefined {
  const wrong = response.metrics.find((m) => !Number.isSafeInteger(m.value) || m.value < 0);
  if (wrong === undefined) return undefined;
  const problem =
    `extension ${route.name} reported metric ${JSON.stringify(wrong.sku)} as ${wrong.value}: ` +
    'a metric must be a whole number from 0 to 2^53 - 1';
  LOG.warn(problem);
  return extensionError(problem);
}

/** Turns one verified, well-formed extension envelope into lc-extension's answer. */
export class ExtensionProcessor {
  constructor(
    private readonly options: ExtensionOptions,
    /** Stores continuations (the scheduler's ContinuationService); none: they are refused. */
    private readonly scheduler: ContinuationClient | undefined,
    /** Tells the scheduler's registry of subscribed orgs and their JWTs (none: not told). */
    private readonly orgs?: ExtensionOrgs,
  ) {}

  /** As `answer`, counted and timed by kind and answer (checkwire.lc.extension.duration). */
  async process(
    route: ExtensionRoute,
    envelope: ExtensionEnvelope,
    receivedAt: number,
  ): Promise<ExtensionAnswer> {
    const started = extensionStarted();
    const kind = envelope.message.kind;
    try {
      const deadlineAt = receivedAt + this.options.timeoutMs - this.options.deadlineMarginMs;
      const body = await this.answer({ route, envelope, deadlineAt });
      const status = extensionStatus(body);
      recordExtensionMessage(kind, extensionAnswerName(status), started);
      return { status, body };
    } catch (err) {
      recordExtensionMessage(kind, 'error', started);
      throw err;
    }
  }

  private async answer(call: Call): Promise<ExtensionResponseBody> {
    const m = call.envelope.message;
    this.orgs?.seen(call.route.name, m);
    switch (m.kind) {
      case 'heartbeat':
        // Answered here, as lc-extension's framework answers it without calling the extension.
        return success({});
      case 'schema_request':
        return this.schema(call.route);
      case 'request':
        return this.request(call, m);
      case 'event': {
        const answer = await this.handle(
          call,
          'onExtensionEvent',
          {
            event: {
              call: this.fact(call),
              org: m.org,
              eventName: m.eventName,
              data: m.data,
              config: m.config,
            },
          },
          m.org,
          m.config,
          () => extensionError(`unknown event: ${m.eventName}`, false),
        );
        const failed = await this.orgs?.record(
          call.route.name,
          m.eventName,
          m.org,
          answer,
          call.deadlineAt,
        );
        return failed ?? answer;
      }
      case 'conf_validation':
        // An extension without a validator accepts every config (lc-extension's ValidateConfig
        // is optional).
        return this.handle(
          call,
          'validateExtensionConfig',
          {
            validation: { call: this.fact(call), org: m.org, config: m.config },
          },
          m.org,
          m.config,
          () => success({}),
        );
      case 'error_report':
        LOG.warn(
          `extension ${call.route.name}: LimaCharlie reports an error` +
            `${m.oid === '' ? '' : ` for org ${m.oid}`}: ${m.error.slice(0, 1000)}`,
        );
        return this.handle(
          call,
          'onExtensionErrorReport',
          {
            report: { call: this.fact(call), oid: m.oid, error: m.error },
          },
          { oid: m.oid, jwt: '', ident: '' },
          {},
          () => success({}),
        );
    }
  }

  private fact(call: Call): ExtensionCall {
    return {
      extensionName: call.route.name,
      idempotencyKey: call.envelope.idempotencyKey,
      deadline: new Date(call.deadlineAt),
    };
  }

  /** The extension's declarations, or the answer to give when they cannot be had. */
  private async described(
    route: ExtensionRoute,
  ): Promise<DescribeExtensionResponse | ExtensionResponseBody> {
    try {
      return await route.describe();
    } catch (err) {
      const failed = extensionHandlerFailure(route, err);
      if (failed !== UNIMPLEMENTED) return failed;
      return extensionError(`extension ${route.name} does not implement DescribeExtension`, false);
    }
  }

  private async schema(route: ExtensionRoute): Promise<ExtensionResponseBody> {
    const d = await this.described(route);
    if (!('actions' in d)) return d;
    const requestSchema: Record<string, RequestSchema> = {};
    for (const a of d.actions) {
      Object.defineProperty(requestSchema, a.name, {
        enumerable: true,
        value: {
          // label, messages, is_default…: the named fields below win over the same names here.
          ...(a.extra ?? {}),
          is_user_facing: a.isUserFacing,
          short_description: a.shortDescription,
          long_description: a.longDescription,
          is_impersonated: a.isImpersonated,
          parameters: a.parameters ?? { fields: {}, requirements: [] },
          response: a.response ?? null,
        },
      });
    }
    const data: SchemaRequestData = {
      ...(d.extraSchema ?? {}),
      config_schema: (d.configSchema as SchemaRequestData['config_schema'] | undefined) ?? {
        fields: {},
        requirements: [],
      },
      request_schema: requestSchema,
      required_events: d.requiredEvents,
    };
    return success(data);
  }

  private async request(
    call: Call,
    m: Extract<ExtensionMessage, { kind: 'request' }>,
  ): Promise<ExtensionResponseBody> {
    const d = await this.described(call.route);
    if (!('actions' in d)) return d;
    const action = d.actions.find((a) => a.name === m.action);
    // lc-extension's words for an action it has no handler for (HTTP 400).
    if (action === undefined) return extensionError(`unknown request action: ${m.action}`, false);
    const problem = parameterProblem(action.parameters, m.data);
    if (problem !== undefined) return extensionError(problem, false);
    const request = {
      call: this.fact(call),
      org: m.org,
      action: m.action,
      data: m.data,
      config: m.config,
      resourceState: m.resourceState,
      invId: m.invId,
    };
    return this.handle(call, 'onExtensionRequest', { request }, m.org, m.config, () =>
      extensionError(`unknown request action: ${m.action}`, false),
    );
  }

  /** Calls the handler, then stores the continuations of a successful answer. */
  private async handle(
    call: Call,
    rpc:
      | 'onExtensionRequest'
      | 'onExtensionEvent'
      | 'validateExtensionConfig'
      | 'onExtensionErrorReport',
    request: unknown,
    org: ExtensionOrg,
    config: Record<string, unknown>,
    unimplemented: () => ExtensionResponseBody,
  ): Promise<ExtensionResponseBody> {
    const { route } = call;
    const deadlineMs = call.deadlineAt - Date.now();
    if (deadlineMs <= 0) return extensionError('the message arrived after its deadline');
    let response: ExtensionResponse | undefined;
    try {
      const method = (route.client as unknown as Record<string, HandlerRpc>)[rpc]!;
      ({ response } = await method(request, { deadlineMs }));
    } catch (err) {
      const failed = extensionHandlerFailure(route, err);
      return failed === UNIMPLEMENTED ? unimplemented() : failed;
    }
    if (response === undefined) {
      return extensionError(`extension ${route.name} answered nothing`);
    }
    const wrongMetric = metricProblem(route, response);
    if (wrongMetric !== undefined) return wrongMetric;
    const metrics =
      response.metrics.length === 0
        ? {}
        : {
            metrics: {
              idempotent_key: call.envelope.idempotencyKey,
              metrics: response.metrics.map((x) => ({ sku: x.sku, value: x.value })),
            },
          };
    if (response.error !== '') {
      // A failed answer's continuations are not stored: LimaCharlie sends a retriable message
      // again, and the handler asks for them again then.
      return {
        version: EXTENSION_PROTOCOL_VERSION,
        error: response.error,
        // Unset is retriable, as lc-extension's IsRetriable.
        retriable: response.retriable !== false,
        data: response.data ?? {},
        ...metrics,
      };
    }
    if (response.continuations.length > 0) {
      const d = await this.described(route);
      if (!('actions' in d)) return d;
      const failed = await storeContinuations(
        this.scheduler,
        route,
        new Set(d.actions.map((a) => a.name)),
        response.continuations,
        {
          sourceKey: call.envelope.idempotencyKey,
          org,
          config,
          deadlineMs: call.deadlineAt - Date.now(),
        },
      );
      if (failed !== undefined) return failed;
    }
    return { ...success(response.data), ...metrics };
  }
}
