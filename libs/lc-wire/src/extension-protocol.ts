/**
 * LimaCharlie's Extensions protocol (lc-extension, version 20221218; lc-protocol.md "The successor
 * protocol"): the envelope LimaCharlie POSTs, signed in `lc-ext-sig` over the uncompressed body,
 * and the answer it reads (HTTP 200 success, 500 retriable error, 400 final error).
 */

import { isJsonObject as isObject } from './json-object.js';
import { jsonShapeProblem } from './json-shape.js';

/** The header LimaCharlie signs extension messages in (HMAC-SHA256 hex of the raw body). */
export const EXTENSION_SIGNATURE_HEADER = 'lc-ext-sig';

/** lc-extension's PROTOCOL_VERSION, sent in every answer. */
export const EXTENSION_PROTOCOL_VERSION = 20221218;

/**
 * How long LimaCharlie waits for an extension's answer (it sends a message up to three times).
 * The one source of this default: the gateway stops waiting for a handler this much after the
 * message arrived, less its margin for the way back.
 */
export const EXTENSION_TIMEOUT_MS = 120_000;

/** The message kinds an envelope holds exactly one of, in lc-extension's order. */
export const EXTENSION_KINDS = [
  'heartbeat',
  'error_report',
  'conf_validation',
  'schema_request',
  'request',
  'event',
] as const;
export type ExtensionKind = (typeof EXTENSION_KINDS)[number];

/** The org a message is about, with the JWT for acting on its behalf. */
export interface ExtensionOrgAccess {
  oid: string;
  jwt: string;
  ident: string;
}

export type ExtensionMessage =
  | { kind: 'heartbeat' }
  | { kind: 'schema_request' }
  | { kind: 'error_report'; error: string; oid: string }
  | { kind: 'conf_validation'; org: ExtensionOrgAccess; config: Record<string, unknown> }
  | {
      kind: 'request';
      org: ExtensionOrgAccess;
      action: string;
      data: Record<string, unknown>;
      config: Record<string, unknown>;
      resourceState: unknown;
      invId: string;
    }
  | {
      kind: 'event';
      org: ExtensionOrgAccess;
      eventName: string;
      data: unknown;
      config: Record<string, unknown>;
    };

export interface ExtensionEnvelope {
  version: number;
  idempotencyKey: string;
  message: ExtensionMessage;
}

/** One continuation as lc-extension spells it in an answer. */
export interface ExtensionContinuationBody {
  in_delay_sec: number;
  action: string;
  state: Record<string, unknown>;
}

/** lc-extension's MetricReport. */
export interface ExtensionMetricReport {
  idempotent_key: string;
  metrics: { sku: string; value: number }[];
}

/** What an extension answers (lc-extension's Response). */
export interface ExtensionResponseBody {
  version: number;
  /** Empty on success. */
  error: string;
  /** Only with an error: true → HTTP 500 (LimaCharlie sends again), false → 400. */
  retriable?: boolean;
  data: unknown;
  continuations?: ExtensionContinuationBody[];
  metrics?: ExtensionMetricReport;
}

/** The HTTP status lc-extension answers a response with. */
export function extensionStatus(body: ExtensionResponseBody): 200 | 400 | 500 {
  if (body.error === '') return 200;
  return body.retriable === false ? 400 : 500;
}

/** An error answer: retriable unless said otherwise (lc-extension's default). */
export function extensionError(error: string, retriable = true): ExtensionResponseBody {
  return { version: EXTENSION_PROTOCOL_VERSION, error, retriable, data: {} };
}

export type EnvelopeParse = { envelope: ExtensionEnvelope } | { problem: string };

type Json = Record<string, unknown>;

/** Reads a message field: absent or null is `fallback`, anything else must pass `ok`. */
class Reader {
  constructor(
    private readonly at: string,
    private readonly from: Json,
  ) {}

  private get(name: string): unknown {
    // Own properties only: a field named `constructor` is absent, not Object's constructor.
    return Object.hasOwn(this.from, name) ? this.from[name] : undefined;
  }

  string(name: string, required: boolean): string {
    const v = this.get(name);
    if (v === undefined || v === null) {
      if (required) throw new EnvelopeProblem(`${this.at}${name} is missing`);
      return '';
    }
    if (typeof v !== 'string') throw new EnvelopeProblem(`${this.at}${name} must be a string`);
    if (required && v === '') throw new EnvelopeProblem(`${this.at}${name} is empty`);
    return v;
  }

  object(name: string): Json {
    const v = this.get(name);
    if (v === undefined || v === null) return {};
    if (!isObject(v)) throw new EnvelopeProblem(`${this.at}${name} must be a JSON object`);
    return this.shaped(name, v);
  }

  any(name: string): unknown {
    return this.shaped(name, this.get(name) ?? null);
  }

  /** A value handed on to the handler, within MAX_JSON_DEPTH and without prototype keys. */
  private shaped<T>(name: string, v: T): T {
    const problem = jsonShapeProblem(v, `${this.at}${name}`);
    if (problem !== undefined) throw new EnvelopeProblem(problem);
    return v;
  }

  org(): ExtensionOrgAccess {
    const v = this.get('org');
    if (!isObject(v)) throw new EnvelopeProblem(`${this.at}org must be a JSON object`);
    const org = new Reader(`${this.at}org.`, v);
    return {
      oid: org.string('oid', true),
      jwt: org.string('jwt', false),
      ident: org.string('ident', false),
    };
  }
}

class EnvelopeProblem extends Error {}

function message(kind: ExtensionKind, value: Json): ExtensionMessage {
  const r = new Reader(`${kind}.`, value);
  switch (kind) {
    case 'heartbeat':
    case 'schema_request':
      return { kind };
    case 'error_report':
      return { kind, error: r.string('error', false), oid: r.string('oid', false) };
    case 'conf_validation':
      // lc-extension spells this one `conf` (request and event say `config`).
      return { kind, org: r.org(), config: r.object('conf') };
    case 'request':
      return {
        kind,
        org: r.org(),
        action: r.string('action', true),
        data: r.object('data'),
        config: r.object('config'),
        resourceState: r.any('resource_state'),
        invId: r.string('inv_id', false),
      };
    case 'event':
      return {
        kind,
        org: r.org(),
        eventName: r.string('event_name', true),
        data: r.any('data'),
        config: r.object('config'),
      };
  }
}

/**
 * The envelope of a parsed body, or what is wrong with it (for a 400 that names it): `version` a
 * positive integer, `idempotency_key` a string (not empty for `request` and `event`: handlers and
 * continuations key on it), exactly one message kind holding an object, and that kind's fields.
 * Unknown fields are ignored, as lc-extension ignores them; so is a kind that is `null`.
 */
export function parseExtensionEnvelope(body: unknown): EnvelopeParse {
  if (!isObject(body)) return { problem: 'the body must be a JSON object' };
  try {
    const top = new Reader('', body);
    const version = Object.hasOwn(body, 'version') ? body.version : undefined;
    if (version === undefined || version === null) return { problem: 'version is missing' };
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
      return { problem: 'version must be a positive integer' };
    }
    const idempotencyKey = top.string('idempotency_key', false);
    const kinds = EXTENSION_KINDS.filter((k) => Object.hasOwn(body, k) && body[k] !== null);
    if (kinds.length === 0) {
      return { problem: `no message: expected exactly one of ${EXTENSION_KINDS.join(', ')}` };
    }
    if (kinds.length > 1) return { problem: `more than one message: ${kinds.join(', ')}` };
    const kind = kinds[0]!;
    const value = body[kind];
    if (!isObject(value)) return { problem: `${kind} must be a JSON object` };
    if ((kind === 'request' || kind === 'event') && idempotencyKey === '') {
      return { problem: `idempotency_key is missing (a ${kind} needs one)` };
    }
    return { envelope: { version, idempotencyKey, message: message(kind, value) } };
  } catch (err) {
    if (err instanceof EnvelopeProblem) return { problem: err.message };
    throw err;
  }
}
