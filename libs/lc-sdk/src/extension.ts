import type { SchemaObject } from '@checkwire/lc-wire';
import type { DescribeExtensionResponse } from '@checkwire/proto';
import type { ExtensionResult } from './extension-answer.js';

/** The org a message is about, with the JWT for calling LimaCharlie's API on its behalf. */
export interface ExtensionOrg {
  oid: string;
  jwt: string;
  ident: string;
}

/** What every handler of an extension receives. */
export interface ExtensionContext {
  extensionName: string;
  /**
   * The message's idempotency key (for a continuation, the continuation's id). LimaCharlie sends
   * a message up to three times: a handler that must act once keys on this.
   */
  idempotencyKey: string;
  /** When the gateway stops waiting (also this call's gRPC deadline). */
  deadline: Date | undefined;
  org: ExtensionOrg;
  /** The org's config of this extension. */
  config: Record<string, unknown>;
  /** Aborted when the gateway gives up (deadline, cancel). */
  signal: AbortSignal;
}

/** Set when a request is a continuation coming due. */
export interface ContinuationOrigin {
  id: string;
  /** 1 for the first delivery; more when an earlier one failed retriably or went unanswered. */
  attempt: number;
  dueAt: Date | undefined;
}

export interface RequestContext extends ExtensionContext {
  action: string;
  /** The request's parameters (checked by the gateway against the action's), or a continuation's state. */
  data: Record<string, unknown>;
  resourceState: unknown;
  invId: string;
  /** Set when this call is a continuation this extension asked for. */
  continuation: ContinuationOrigin | undefined;
}

export interface EventContext extends ExtensionContext {
  /** `subscribe` (the org installed the extension), `unsubscribe`, `update`. */
  eventName: string;
  data: unknown;
}

export interface ErrorReport {
  extensionName: string;
  idempotencyKey: string;
  oid: string;
  error: string;
}

export type ActionHandler = (ctx: RequestContext) => Promise<ExtensionResult> | ExtensionResult;
export type EventHandler = (ctx: EventContext) => Promise<ExtensionResult> | ExtensionResult;

/** How an action is shown and what it takes (lc-extension's RequestSchema). */
export interface ActionSpec {
  /** Its parameters; the gateway refuses a request whose data does not match. @default no fields */
  parameters?: SchemaObject;
  /** Its answer's shape, for LimaCharlie's UI. */
  response?: SchemaObject;
  /** @default true */
  isUserFacing?: boolean;
  shortDescription?: string;
  longDescription?: string;
  /** The action needs the JWT of the user who asks (LimaCharlie sends it). @default false */
  isImpersonated?: boolean;
  /** A human-friendly name for the action (lc-extension's `label`). */
  label?: string;
  /** What LimaCharlie's UI says while the action runs, and after (lc-extension's `messages`). */
  messages?: { inProgress?: string; success?: string; error?: string };
  /** The action shown by default with the extension's state (lc-extension's `is_default`). */
  isDefault?: boolean;
  /**
   * Any other RequestSchema field, in lc-extension's spelling, passed through as it is; the
   * fields above win over the same names here.
   */
  extra?: Record<string, unknown>;
}

/** The RequestSchema fields of `spec` the contract has no field of its own for (`extra`). */
function schemaExtra(spec: ActionSpec): Record<string, unknown> {
  const extra: Record<string, unknown> = { ...spec.extra };
  if (spec.label !== undefined) extra.label = spec.label;
  if (spec.isDefault !== undefined) extra.is_default = spec.isDefault;
  if (spec.messages !== undefined) {
    const { inProgress, success, error } = spec.messages;
    extra.messages = {
      ...(inProgress === undefined ? {} : { in_progress: inProgress }),
      ...(success === undefined ? {} : { success }),
      ...(error === undefined ? {} : { error }),
    };
  }
  return extra;
}

/** The callbacks an extension may define (methods, all optional). */
export interface ExtensionCallbacks {
  /** `conf_validation`: throw (an ExtensionError) to refuse the org's new config. */
  validateConfig?(ctx: ExtensionContext): Promise<ExtensionResult> | ExtensionResult;
  /** `error_report`: LimaCharlie saw an error for one of this extension's orgs. */
  onErrorReport?(report: ErrorReport): Promise<void> | void;
}

// The callbacks are optional methods (declaration merging, as LcService does).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface Extension extends ExtensionCallbacks {}

/**
 * A LimaCharlie extension (lc-extension's Extension): subclass it, declare the config schema,
 * the actions (parameters and handler) and the event handlers in the constructor, define
 * `validateConfig` / `onErrorReport` if you want them, and serve it with `serveExtension`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class Extension {
  readonly #actions = new Map<string, { spec: ActionSpec; handler: ActionHandler }>();
  readonly #events = new Map<string, EventHandler>();
  #configSchema: SchemaObject = { fields: {}, requirements: [] };
  #extraSchema: Record<string, unknown> = {};

  constructor(readonly name: string) {}

  /** The org config's shape (lc-extension's SchemaObject). */
  protected setConfigSchema(schema: SchemaObject): void {
    this.#configSchema = schema;
  }

  /** Declares an action `request` messages may name, and the handler they reach. */
  protected action(name: string, spec: ActionSpec, handler: ActionHandler): void {
    if (name === '') throw new Error('an action needs a name');
    this.#actions.set(name, { spec, handler: handler.bind(this) });
  }

  /** Handles an event (`subscribe`, `unsubscribe`, `update`); it becomes a required event. */
  protected onEvent(name: string, handler: EventHandler): void {
    this.#events.set(name, handler.bind(this));
  }

  /** The rest of the schema_request answer, passed through (e.g. `views`). */
  protected setExtraSchema(extra: Record<string, unknown>): void {
    this.#extraSchema = extra;
  }

  actionHandler(name: string): ActionHandler | undefined {
    return this.#actions.get(name)?.handler;
  }

  eventHandler(name: string): EventHandler | undefined {
    return this.#events.get(name);
  }

  describe(): DescribeExtensionResponse {
    return {
      configSchema: this.#configSchema,
      actions: [...this.#actions].map(([name, { spec }]) => ({
        name,
        isUserFacing: spec.isUserFacing ?? true,
        shortDescription: spec.shortDescription ?? '',
        longDescription: spec.longDescription ?? '',
        isImpersonated: spec.isImpersonated ?? false,
        parameters: spec.parameters ?? { fields: {}, requirements: [] },
        response: spec.response,
        extra: schemaExtra(spec),
      })),
      requiredEvents: [...this.#events.keys()],
      extraSchema: this.#extraSchema,
    };
  }
}
