import type { CallbackResult } from '@checkwire/proto';
import type { Job } from './job.js';

/** lcservice's `response(isSuccess, isRetry, data, error, jobs)`. */
export interface ResponseInit {
  success?: boolean;
  retry?: boolean;
  data?: Record<string, unknown>;
  error?: string;
  jobs?: Job[];
}

const NOT_IMPLEMENTED = Symbol('not implemented');
export type NotImplemented = typeof NOT_IMPLEMENTED;

/** A handler's answer: a response, lcservice's shortcuts (true, false, nothing), or not-implemented. */
export type HandlerAnswer = CallbackResult | NotImplemented | boolean | undefined | void;

export function response(init: ResponseInit = {}): CallbackResult {
  return {
    success: init.success ?? true,
    retry: init.retry ?? false,
    data: init.data ?? {},
    error: init.error ?? '',
    jobs: (init.jobs ?? []).map((j) => j.toUpdate()),
    tasks: [],
  };
}

export function responseNotImplemented(): NotImplemented {
  return NOT_IMPLEMENTED;
}

export function isNotImplemented(answer: HandlerAnswer): answer is NotImplemented {
  return answer === NOT_IMPLEMENTED;
}

/** lcservice: true → success; false → failure without retry; nothing → failure with retry. */
export function toResult(answer: Exclude<HandlerAnswer, NotImplemented>): CallbackResult {
  if (answer === true) return response();
  if (answer === false) return response({ success: false });
  if (answer === undefined) return response({ success: false, retry: true });
  return answer;
}
