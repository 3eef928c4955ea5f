import { InvalidArgumentError, nonEmpty, text } from '@checkwire/errors';
import { MAX_JSON_DEPTH } from '@checkwire/lc-wire';

/** What ContinuationService (and a continuation's own answer) may ask for, in one place. */
export const CONTINUATION_LIMITS = Object.freeze({
  /** Continuations in one call (one answer). */
  maxPerCall: 100,
  /** The longest `in_delay_sec`: 30 days. */
  maxDelaySec: 30 * 24 * 3600,
  /** A continuation's `state`, as JSON (UTF-8 bytes). */
  maxStateBytes: 32 * 1024,
  /** The org's `config`, as JSON (UTF-8 bytes). */
  maxConfigBytes: 64 * 1024,
  /** How deep `state` and `config` may nest: as deep as the gateway lets any JSON value through. */
  maxJsonDepth: MAX_JSON_DEPTH,
  /** An action's name. */
  maxActionChars: 128,
  maxExtensionNameChars: 200,
  maxSourceKeyChars: 256,
  maxOidChars: 200,
  maxIdentChars: 1000,
  /** As the registry takes an org's JWT. */
  maxJwtChars: 100_000,
});

/** An action: a short name of visible characters, as lc-extension's actions are (`run_scan`). */
const ACTION = /^[\x21-\x7e]+$/;

export interface ContinuationRequest {
  inDelaySec: number;
  action: string;
  state?: Record<string, unknown> | undefined;
}

/** A continuation as checked: what is stored. */
export interface CheckedContinuation {
  inDelaySec: number;
  action: string;
  state: Record<string, unknown>;
}

/**
 * A JSON object from a request (a protobuf Struct), refused when it is larger than `maxBytes` as
 * JSON, nests deeper than CONTINUATION_LIMITS.maxJsonDepth, or holds a NUL character (which
 * PostgreSQL's jsonb cannot store). Absent is `{}`.
 */
export function jsonObject(
  field: string,
  value: Record<string, unknown> | undefined,
  maxBytes: number,
): Record<string, unknown> {
  if (value === undefined) return {};
  const depth = new Map<object, number>([[value, 1]]);
  let problem: string | undefined;
  const json = JSON.stringify(value, function (this: object, key: string, v: unknown) {
    if (problem !== undefined) return undefined;
    if (key.includes('\u0000') || (typeof v === 'string' && v.includes('\u0000'))) {
      problem = 'must not contain NUL (\\u0000) characters';
      return undefined;
    }
    if (typeof v === 'object' && v !== null && v !== value) {
      const d = (depth.get(this) ?? 1) + 1;
      if (d > CONTINUATION_LIMITS.maxJsonDepth) {
        problem = `must not nest deeper than ${CONTINUATION_LIMITS.maxJsonDepth} levels`;
        return undefined;
      }
      depth.set(v, d);
    }
    return v;
  });
  if (problem !== undefined) throw new InvalidArgumentError(field, problem);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > maxBytes) {
    throw new InvalidArgumentError(
      field,
      `must be at most ${maxBytes} bytes as JSON, got ${bytes}`,
    );
  }
  return value;
}

/** The continuations of one answer, each refused naming its field (`continuations[3].action`). */
export function checkContinuations(
  field: string,
  list: readonly ContinuationRequest[],
): CheckedContinuation[] {
  const L = CONTINUATION_LIMITS;
  if (list.length > L.maxPerCall) {
    throw new InvalidArgumentError(field, `at most ${L.maxPerCall} at once, got ${list.length}`);
  }
  return list.map((c, i) => {
    const at = `${field}[${i}]`;
    if (!Number.isSafeInteger(c.inDelaySec) || c.inDelaySec < 0 || c.inDelaySec > L.maxDelaySec) {
      throw new InvalidArgumentError(
        `${at}.in_delay_sec`,
        `must be 0..${L.maxDelaySec} seconds (30 days), got ${c.inDelaySec}`,
      );
    }
    const action = nonEmpty(`${at}.action`, c.action, L.maxActionChars);
    if (!ACTION.test(action)) {
      throw new InvalidArgumentError(
        `${at}.action`,
        `must be a name of visible ASCII characters without spaces, got ${JSON.stringify(action)}`,
      );
    }
    return {
      inDelaySec: c.inDelaySec,
      action,
      state: jsonObject(`${at}.state`, c.state, L.maxStateBytes),
    };
  });
}

/** The org a continuation runs for; `oid` is required. */
export function checkOrg(
  field: string,
  org: { oid: string; jwt: string; ident: string } | undefined,
): { oid: string; jwt: string; ident: string } {
  const L = CONTINUATION_LIMITS;
  if (org === undefined) throw new InvalidArgumentError(field, 'must be set');
  return {
    oid: nonEmpty(`${field}.oid`, org.oid, L.maxOidChars),
    jwt: text(`${field}.jwt`, org.jwt, L.maxJwtChars),
    ident: text(`${field}.ident`, org.ident, L.maxIdentChars),
  };
}
