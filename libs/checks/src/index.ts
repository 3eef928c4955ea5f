export { down, up } from './check.js';
export type { Check, CheckOptions, CheckResult, CheckTarget, FailureKind } from './check.js';
export { CHECKS, checkFor, hostOf, runCheck } from './checks.js';
export { DEFAULT_PORTS, defaultPort } from './default-ports.js';
export {
  LimitExceededError,
  MAX_CONVERSATION_BYTES,
  MAX_HTTP_BODY_BYTES,
  MAX_HTTP_HEADER_BYTES,
  MAX_LINE_BYTES,
  MAX_REPLY_LINES,
} from './limits.js';
export { checkRequestId } from './request-id.js';
