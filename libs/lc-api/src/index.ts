export {
  LcApiClient,
  type DeleteRuleRequest,
  type OrgCall,
  type PutRuleRequest,
  type TaskSensorRequest,
} from './lc-api.client.js';
export type { CallOptions, LcApiResult } from './lc-api.call.js';
export {
  isLcApiError,
  LcApiAbortedError,
  LcApiBadResponseError,
  LcApiDeadlineExceededError,
  LcApiError,
  LcApiInvalidInputError,
  LcApiNotFoundError,
  LcApiPermissionDeniedError,
  LcApiRateLimitedError,
  LcApiRefusedError,
  LcApiUnauthenticatedError,
  LcApiUnavailableError,
  type LcApiCall,
  type LcApiFailureInfo,
} from './lc-api.errors.js';
export { addDefaults, LC_API_DEFAULTS, type LcApiClientOptions } from './lc-api.options.js';
export { envLcApiOptions } from './lc-api.env.js';
export {
  deleteInteractiveRule,
  INTERACTIVE_RULE_NAMESPACE,
  interactiveRule,
  putInteractiveRule,
  replyDetection,
  sendInteractiveTasks,
  type InteractiveOrg,
  type InteractiveTask,
  type InteractiveTasks,
  type TasksNotSent,
} from './interactive.js';
export { CachedDescribe, DESCRIBE_TTL_MS } from './cached-describe.js';
