import type { HttpRequest } from './lc-api.attempt.js';
import {
  callLimaCharlie,
  type CallOptions,
  type CallSpec,
  type LcApiResult,
} from './lc-api.call.js';
import type { LcApiCall } from './lc-api.errors.js';
import { CONTROL, InputCheck, shown } from './lc-api.input.js';
import {
  addDefaults,
  type LcApiClientOptions,
  type ResolvedLcApiOptions,
} from './lc-api.options.js';

/** Common to every call: the org, and the JWT LimaCharlie sent with the callback for it. */
export interface OrgCall extends CallOptions {
  oid: string;
  /** Sent as `Authorization: Bearer <jwt>`; never in an error message. */
  jwt: string;
}

export interface TaskSensorRequest extends OrgCall {
  sid: string;
  /** Tasks in LimaCharlie's command-line form (`os_processes`, `run --shell-command whoami`). */
  tasks: string | readonly string[];
  /**
   * Sent as `investigation_id`: the sensor's answers come back with it in
   * `routing.investigation_id` (an InteractiveService routes them by it). Omitted when empty.
   */
  investigationId?: string;
  /**
   * Sent as `x-idempotent-key` (go-limacharlie's `TaskingOptions.IdempotentKey`, documented as
   * preventing duplicate execution): give the same key when repeating the same logical task.
   */
  idempotentKey?: string;
}

export interface PutRuleRequest extends OrgCall {
  name: string;
  /** `general` when omitted (LimaCharlie's default); lcservice 1.8's InteractiveService used `replicant`. */
  namespace?: string;
  /** The rule's `detect` part (sent as the form field `detection`, JSON). */
  detect: Readonly<Record<string, unknown>>;
  /** The rule's `respond` part (sent as the form field `response`, JSON). */
  respond: readonly unknown[];
  /** Replace a rule of the same name; otherwise LimaCharlie refuses it. @default false */
  isReplace?: boolean;
  /** @default true */
  isEnabled?: boolean;
}

export interface DeleteRuleRequest extends OrgCall {
  name: string;
  /** @default 'general' (LimaCharlie's, when omitted) */
  namespace?: string;
}

/** Longest task line, rule name, investigation id or idempotency key accepted. */
const MAX_TEXT = 64 * 1024;
const MAX_NAME = 1024;
const MAX_KEY = 256;

/**
 * The calls a LimaCharlie service makes to LimaCharlie's REST API on an org's behalf, as
 * python-limacharlie's `Sensor.task`, `Manager.add_rule` and `Manager.del_rule` make them: form
 * encoded, to `<baseUrl>/v1/...`, with the org's JWT. Each call has a deadline, reads a bounded
 * answer, and retries only what is safe to repeat (see retry-policy.ts).
 */
export class LcApiClient {
  readonly options: ResolvedLcApiOptions;

  constructor(options: LcApiClientOptions = {}) {
    this.options = addDefaults(options);
  }

  /** `POST /v1/{sid}` with `tasks` (one field per task) and `investigation_id`. Not retried once it may have arrived. */
  async taskSensor(req: TaskSensorRequest): Promise<LcApiResult> {
    const action = `task sensor ${InputCheck.displayId(req.sid)}`;
    const check = this.check('taskSensor', req, action);
    const sid = check.uuid('sid', req.sid);
    const tasks: readonly unknown[] = typeof req.tasks === 'string' ? [req.tasks] : req.tasks;
    if (!Array.isArray(tasks) || tasks.length === 0) {
      throw check.refuse('tasks', 'must be one task or a non-empty list of tasks');
    }
    const form = new URLSearchParams();
    tasks.forEach((t, i) => form.append('tasks', check.text(`tasks[${i}]`, t, MAX_TEXT)));
    if (req.investigationId !== undefined && req.investigationId !== '') {
      form.append('investigation_id', check.text('investigationId', req.investigationId, MAX_TEXT));
    }
    const extra: Record<string, string> = {};
    if (req.idempotentKey !== undefined) {
      extra['x-idempotent-key'] = check.headerValue('idempotentKey', req.idempotentKey, MAX_KEY);
    }
    return this.send(req, {
      call: 'taskSensor',
      action,
      permission: 'sensor.task',
      missing: `sensor ${sid} that this JWT can see (uninstalled, or in another org)`,
      request: this.request('POST', sid, form, req.jwt, extra),
      idempotent: false,
    });
  }

  /**
   * `POST /v1/rules/{oid}` with `name`, `is_replace`, `detection`, `response`, `is_enabled` and
   * `namespace`. Retried only with `isReplace` (adding twice would be refused the second time).
   */
  async putRule(req: PutRuleRequest): Promise<LcApiResult> {
    const action = `put rule ${ruleLabel(req.namespace, req.name)}`;
    const check = this.check('putRule', req, action);
    const oid = check.uuid('oid', req.oid);
    const name = check.text('name', req.name, MAX_NAME);
    const detect: unknown = req.detect;
    if (typeof detect !== 'object' || detect === null || Array.isArray(detect)) {
      throw check.refuse('detect', 'must be an object (the rule\'s "detect" part)');
    }
    if (!Array.isArray(req.respond)) {
      throw check.refuse('respond', 'must be a list (the rule\'s "respond" part)');
    }
    const isReplace = req.isReplace ?? false;
    const form = new URLSearchParams({
      name,
      is_replace: String(isReplace),
      detection: check.json('detect', detect),
      response: check.json('respond', req.respond),
      is_enabled: String(req.isEnabled ?? true),
    });
    const namespace = this.namespace(check, req.namespace, form);
    return this.send(req, {
      call: 'putRule',
      action,
      permission: namespace === 'general' ? 'dr.set' : `dr.set.${namespace}`,
      missing: `org ${oid} (or the rules endpoint)`,
      request: this.request('POST', `rules/${oid}`, form, req.jwt, {}),
      idempotent: isReplace,
    });
  }

  /** `DELETE /v1/rules/{oid}` with `name` and `namespace` in a form body, as both SDKs send it. */
  async deleteRule(req: DeleteRuleRequest): Promise<LcApiResult> {
    const action = `delete rule ${ruleLabel(req.namespace, req.name)}`;
    const check = this.check('deleteRule', req, action);
    const oid = check.uuid('oid', req.oid);
    const form = new URLSearchParams({ name: check.text('name', req.name, MAX_NAME) });
    const namespace = this.namespace(check, req.namespace, form);
    return this.send(req, {
      call: 'deleteRule',
      action,
      permission: namespace === 'general' ? 'dr.del' : `dr.del.${namespace}`,
      missing: `rule "${req.name}" in namespace ${namespace}`,
      request: this.request('DELETE', `rules/${oid}`, form, req.jwt, {}),
      // Deleting again ends the same way (a 404 saying an earlier attempt did it).
      idempotent: true,
    });
  }

  private check(call: LcApiCall, req: OrgCall, action: string): InputCheck {
    const check = new InputCheck(call, InputCheck.displayId(req.oid), action);
    check.uuid('oid', req.oid);
    check.jwt(req.jwt);
    if (req.timeoutMs !== undefined) check.positiveInt('timeoutMs', req.timeoutMs);
    return check;
  }

  /** Adds `namespace` when given (LimaCharlie then defaults to general, as the SDKs rely on). */
  private namespace(check: InputCheck, namespace: unknown, form: URLSearchParams): string {
    if (namespace === undefined) return 'general';
    if (typeof namespace !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(namespace)) {
      throw check.refuse(
        'namespace',
        `must be a namespace name like "replicant", got ${shown(namespace)}`,
      );
    }
    form.append('namespace', namespace);
    return namespace;
  }

  private request(
    method: HttpRequest['method'],
    path: string,
    form: URLSearchParams,
    jwt: string,
    extra: Record<string, string>,
  ): HttpRequest {
    const { baseUrl, apiVersion, userAgent } = this.options;
    return {
      method,
      url: `${baseUrl}/${apiVersion}/${path}`,
      headers: {
        authorization: `Bearer ${jwt}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'user-agent': userAgent,
        ...extra,
      },
      body: form.toString(),
    };
  }

  private send(req: OrgCall, spec: Omit<CallSpec, 'oid'>): Promise<LcApiResult> {
    return callLimaCharlie(
      { ...spec, oid: req.oid },
      req.jwt,
      this.options,
      req.timeoutMs ?? this.options.timeoutMs,
      req.signal,
    );
  }
}

function ruleLabel(namespace: unknown, name: unknown): string {
  const ns = typeof namespace === 'string' ? namespace : 'general';
  const plain = (v: string) => v.length <= 100 && !CONTROL.test(v) && !v.includes('"');
  return typeof name === 'string' && plain(ns) && plain(name) ? `${ns}/${name}` : shown([ns, name]);
}
