import type { ServiceErrorKindName } from '@checkwire/db';
import {
  InvalidArgumentError,
  int32,
  nonEmpty,
  optionalText,
  requireId,
  text,
} from '@checkwire/errors';
import type { ScoreInput } from './score.repository.js';

/** Entries of one batch call, at most. */
export const MAX_BATCH_ENTRIES = 10_000;
export const MAX_ERROR_MSG = 4096;
export const MAX_REQUEST_ID = 128;
export const MAX_DETAIL = 65_536;

/** A score as a caller sends it. */
export interface ScoreRequest {
  serviceId: number;
  result: number;
  errorMsg?: string | undefined;
  requestId?: string | undefined;
}

/** A check's error as a caller sends it (kind undefined: not one we know). */
export interface CheckErrorRequest {
  kind: ServiceErrorKindName | undefined;
  message: string;
  detail: string;
}

export interface CheckErrorInput {
  kind: ServiceErrorKindName;
  message: string;
  detail: string;
}

/** Checks a score's fields; `prefix` names the entry in errors (`entries[3].`). */
export function validScore(prefix: string, r: ScoreRequest): ScoreInput {
  return {
    serviceId: requireId(`${prefix}service_id`, r.serviceId),
    result: int32(`${prefix}result`, r.result),
    errorMsg: optionalText(`${prefix}error_msg`, r.errorMsg, MAX_ERROR_MSG),
    requestId: optionalText(`${prefix}request_id`, r.requestId, MAX_REQUEST_ID),
  };
}

/** Checks an error's fields (kind, message required, detail). */
export function validCheckError(prefix: string, e: CheckErrorRequest): CheckErrorInput {
  if (e.kind === undefined) {
    throw new InvalidArgumentError(
      `${prefix}kind`,
      'must be one of TIMEOUT, CONTENT, CREDENTIALS, CONNECTION, OTHER',
    );
  }
  return {
    kind: e.kind,
    message: nonEmpty(`${prefix}message`, e.message, MAX_ERROR_MSG),
    detail: text(`${prefix}detail`, e.detail, MAX_DETAIL),
  };
}

/** A batch holds 1..MAX_BATCH_ENTRIES `what`. */
export function requireBatchSize(field: string, n: number, what: string): void {
  if (n === 0 || n > MAX_BATCH_ENTRIES) {
    throw new InvalidArgumentError(field, `must hold 1..${MAX_BATCH_ENTRIES} ${what}, got ${n}`);
  }
}
