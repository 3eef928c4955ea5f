import { randomUUID } from 'node:crypto';
import type { StandinJwtIssuer } from './standin.jwt.js';

/**
 * What the stand-in of LimaCharlie's cloud does with a request once it is read: authenticate the
 * JWT, then task a sensor or add/delete a D&R rule, as `/v1/{sid}` and `/v1/rules/{oid}` do (see
 * README for what each step is based on). No HTTP here: the server (`standin.server.ts`) reads
 * requests, records them and applies faults.
 */

/** A request as the stand-in reads it: form body parameters and query parameters together. */
export interface ParsedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  idempotentKey: string | undefined;
  params: URLSearchParams;
}

export interface ApiAnswer {
  status: number;
  json: unknown;
}

/** A task LimaCharlie would have sent to a sensor. */
export interface DeliveredTask {
  oid: string;
  sid: string;
  tasks: string[];
  investigationId: string | undefined;
  idempotentKey: string | undefined;
}

export interface StoredRule {
  name: string;
  namespace: string;
  detect: unknown;
  respond: unknown;
  isEnabled: boolean;
}

/** D&R rule namespaces: `general` (the default), `managed`, and lcservice 1.8's `replicant`. */
export const RULE_NAMESPACES: ReadonlySet<string> = new Set(['general', 'managed', 'replicant']);

/** `dr.set` for the general namespace, `dr.set.<namespace>` for the others (LimaCharlie's names). */
export const rulePermission = (verb: 'set' | 'del', namespace: string): string =>
  namespace === 'general' ? `dr.${verb}` : `dr.${verb}.${namespace}`;

const fail = (status: number, error: string): ApiAnswer => ({ status, json: { error } });
const OK: ApiAnswer = { status: 200, json: {} };

export class StandinCloud {
  readonly tasks: DeliveredTask[] = [];
  /** sid → the org it belongs to. */
  private readonly sensors = new Map<string, string>();
  /** `oid/namespace` → rule name → rule. */
  private readonly ruleStore = new Map<string, Map<string, StoredRule>>();
  /** `sid\nkey` of every x-idempotent-key already delivered. */
  private readonly idempotentKeys = new Set<string>();

  constructor(
    private readonly jwts: StandinJwtIssuer,
    private readonly nowSeconds: () => number,
  ) {}

  addSensor(oid: string, sid: string = randomUUID()): string {
    this.sensors.set(sid, oid);
    return sid;
  }

  rules(oid: string, namespace = 'general'): ReadonlyMap<string, StoredRule> {
    return this.ruleStore.get(`${oid}/${namespace}`) ?? new Map<string, StoredRule>();
  }

  handle(req: ParsedRequest): ApiAnswer {
    if (!req.path.startsWith('/v1/')) return fail(404, 'not found');
    const segments = req.path.slice('/v1/'.length).split('/');
    if (segments.length === 2 && segments[0] === 'rules') {
      const oid = segments[1] ?? '';
      if (req.method === 'POST') return this.withAuth(req, (c) => this.addRule(req, oid, c));
      if (req.method === 'DELETE') return this.withAuth(req, (c) => this.delRule(req, oid, c));
      return fail(405, 'method not allowed');
    }
    if (segments.length === 1 && segments[0] !== '' && segments[0] !== 'rules') {
      const sid = segments[0] ?? '';
      if (req.method === 'POST') return this.withAuth(req, (c) => this.task(req, sid, c));
      return fail(405, 'method not allowed');
    }
    return fail(404, 'not found');
  }

  private withAuth(req: ParsedRequest, then: (claims: Claims) => ApiAnswer): ApiAnswer {
    // The SDKs send "bearer", the docs "Bearer": the scheme is case-insensitive (RFC 7235).
    const match = /^bearer (\S+)$/i.exec(req.authorization ?? '');
    if (match === null) return fail(401, 'missing or malformed Authorization header');
    const check = this.jwts.verify(match[1] ?? '', this.nowSeconds());
    if (!check.ok) return fail(401, check.why);
    return then({ orgs: new Set(check.claims.oid), perms: new Set(check.claims.perms) });
  }

  private task(req: ParsedRequest, sid: string, claims: Claims): ApiAnswer {
    const oid = this.sensors.get(sid);
    // A sensor of an org the token is not for is as unknown to it as one that does not exist.
    if (oid === undefined || !claims.orgs.has(oid)) return fail(404, 'sensor not found');
    if (!claims.perms.has('sensor.task')) return fail(403, 'unauthorized: requires sensor.task');
    const tasks = req.params.getAll('tasks').filter((t) => t.trim() !== '');
    if (tasks.length === 0) return fail(400, 'missing parameter: tasks');
    const key = req.idempotentKey;
    if (key !== undefined) {
      // go-limacharlie documents x-idempotent-key as preventing duplicate task execution; what
      // LimaCharlie answers to the duplicate is not documented: the stand-in answers as if new.
      if (this.idempotentKeys.has(`${sid}\n${key}`)) return OK;
      this.idempotentKeys.add(`${sid}\n${key}`);
    }
    this.tasks.push({
      oid,
      sid,
      tasks,
      investigationId: req.params.get('investigation_id') ?? undefined,
      idempotentKey: key,
    });
    return OK;
  }

  private addRule(req: ParsedRequest, oid: string, claims: Claims): ApiAnswer {
    const target = this.ruleTarget(req, oid, claims, 'set');
    if ('status' in target) return target;
    const detect = parseJson(req.params.get('detection'));
    if (
      detect === undefined ||
      typeof detect !== 'object' ||
      detect === null ||
      Array.isArray(detect)
    ) {
      return fail(400, 'invalid parameter: detection must be a JSON object');
    }
    const respond = parseJson(req.params.get('response'));
    if (!Array.isArray(respond))
      return fail(400, 'invalid parameter: response must be a JSON list');
    const isReplace = req.params.get('is_replace') === 'true';
    if (target.rules.has(target.name) && !isReplace) return fail(409, 'rule already exists');
    target.rules.set(target.name, {
      name: target.name,
      namespace: target.namespace,
      detect,
      respond,
      isEnabled: req.params.get('is_enabled') !== 'false',
    });
    return OK;
  }

  private delRule(req: ParsedRequest, oid: string, claims: Claims): ApiAnswer {
    const target = this.ruleTarget(req, oid, claims, 'del');
    if ('status' in target) return target;
    if (!target.rules.delete(target.name)) return fail(404, 'rule not found');
    return OK;
  }

  /** The org, namespace, permission and name checks add and delete share. */
  private ruleTarget(
    req: ParsedRequest,
    oid: string,
    claims: Claims,
    verb: 'set' | 'del',
  ): ApiAnswer | { name: string; namespace: string; rules: Map<string, StoredRule> } {
    if (!claims.orgs.has(oid)) return fail(403, 'unauthorized: token is not for this org');
    const namespace = req.params.get('namespace') ?? 'general';
    if (!RULE_NAMESPACES.has(namespace)) return fail(400, `invalid namespace: ${namespace}`);
    const perm = rulePermission(verb, namespace);
    if (!claims.perms.has(perm)) return fail(403, `unauthorized: requires ${perm}`);
    const name = req.params.get('name') ?? '';
    if (name === '') return fail(400, 'missing parameter: name');
    const key = `${oid}/${namespace}`;
    let rules = this.ruleStore.get(key);
    if (rules === undefined) {
      rules = new Map();
      this.ruleStore.set(key, rules);
    }
    return { name, namespace, rules };
  }
}

interface Claims {
  orgs: ReadonlySet<string>;
  perms: ReadonlySet<string>;
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
