import { LcApiInvalidInputError, type LcApiCall } from './lc-api.errors.js';

/**
 * Checks on a call's input before anything is sent. Org and sensor ids are UUIDs (both SDKs refuse
 * anything else before calling), which also keeps them safe as URL path segments.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A JWT is base64url parts joined by dots: visible ASCII, no spaces (it goes in a header). */
const HEADER_TOKEN = /^[\x21-\x7e]+$/;
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
export const CONTROL = /[\u0000-\u001f\u007f]/;

export class InputCheck {
  constructor(
    private readonly call: LcApiCall,
    private readonly oid: string,
    private readonly action: string,
  ) {}

  /** An org or sensor id fit for a message, even when it is not a UUID. */
  static displayId(id: unknown): string {
    return typeof id === 'string' && UUID.test(id) ? id : shown(id);
  }

  uuid(field: string, value: unknown): string {
    if (typeof value !== 'string' || !UUID.test(value)) {
      throw this.refuse(field, `must be a UUID, got ${shown(value)}`);
    }
    return value;
  }

  jwt(value: unknown): string {
    // Never echo it: a wrong JWT may still be a real one.
    if (typeof value !== 'string' || !HEADER_TOKEN.test(value)) {
      throw this.refuse('jwt', 'must be the JWT LimaCharlie sent with the callback (no spaces)');
    }
    return value;
  }

  text(field: string, value: unknown, maxChars: number): string {
    if (typeof value !== 'string' || value.trim() === '') {
      throw this.refuse(field, `must be a non-empty string, got ${shown(value)}`);
    }
    if (CONTROL.test(value)) throw this.refuse(field, 'must not contain control characters');
    if (value.length > maxChars) throw this.refuse(field, `must be at most ${maxChars} characters`);
    return value;
  }

  headerValue(field: string, value: unknown, maxChars: number): string {
    if (typeof value !== 'string' || !HEADER_TOKEN.test(value) || value.length > maxChars) {
      throw this.refuse(field, `must be 1..${maxChars} visible ASCII characters without spaces`);
    }
    return value;
  }

  positiveInt(field: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw this.refuse(field, `must be a positive whole number, got ${shown(value)}`);
    }
    return value;
  }

  /** A value as JSON text, refusing what JSON cannot hold (cycles, BigInt, a bare undefined). */
  json(field: string, value: unknown): string {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (err) {
      throw this.refuse(field, `cannot be sent as JSON (${(err as Error).message})`);
    }
    if (text === undefined) throw this.refuse(field, 'cannot be sent as JSON');
    return text;
  }

  refuse(field: string, problem: string): LcApiInvalidInputError {
    const info = {
      call: this.call,
      oid: this.oid,
      action: this.action,
      status: undefined,
      lcError: undefined,
      attempts: 0,
      maybeApplied: false,
    };
    return new LcApiInvalidInputError(info, field, problem);
  }
}

/** A value as a message shows it: JSON, at most 64 characters. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    text = typeof value;
  }
  return text.length > 64 ? `${text.slice(0, 63)}…` : text;
}
