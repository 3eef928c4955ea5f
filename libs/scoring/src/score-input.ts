import { int32, optionalText, requireId } from '@checkwire/errors';
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

/** Checks a score's fields; `prefix` names the entry in errors (`entries[3].`). */
export function validScore(prefix: string, r: ScoreRequest): ScoreInput {
  return {
    serviceId: requireId(`${prefix}service_id`, r.serviceId),
    result: int32(`${prefix}result`, r.result),
    errorMsg: optionalText(`${prefix}error_msg`, r.errorMsg, MAX_ERROR_MSG),
    requestId: optionalText(`${prefix}request_id`, r.requestId, MAX_REQUEST_ID),
  };
}
