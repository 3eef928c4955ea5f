export { down, up } from './check.js';
export type { Check, CheckOptions, CheckResult, CheckTarget, FailureKind } from './check.js';
export { CHECKS, checkFor, hostOf, runCheck } from './checks.js';
export { checkRequestId } from './request-id.js';
