export { ALL_ROLES, definePolicy, rpcName } from './access-policy.js';
export type { AccessPolicy, ServicePolicy } from './access-policy.js';
export { CallGuard } from './call-guard.js';
export type { CallGuardOptions, GuardedStream, GuardedUnary } from './call-guard.js';
export { DEFAULT_STREAMS_PER_CALLER, StreamLimiter } from './stream-limiter.js';
export { Authenticator, principalOf } from './authenticator.js';
export type { AuthenticatorOptions } from './authenticator.js';
export { requireRole } from './policy.js';
export { describePrincipal, PUBLIC } from './principal.js';
export type { Principal, RoleName } from './principal.js';
export { hashSecret } from './token-secret.js';
export type { TokenRecord } from './token.repository.js';
export { TokenAdministration } from './tokens.service.js';
export type { IssuedToken, TokenSpec } from './tokens.service.js';
export {
  canSeeService,
  isLimitedRunner,
  maySeeErrorText,
  maySeeSecrets,
  requireMayScore,
  runnerCovers,
} from './visibility.js';
export type { VisibleService } from './visibility.js';
