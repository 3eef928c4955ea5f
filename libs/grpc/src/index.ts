export { bearerToken } from './bearer-token.js';
export { TRACE_ID_METADATA_KEY } from './call-context.js';
export type { CallContext } from './call-context.js';
export { createPromiseClient, DEFAULT_DEADLINE_MS } from './client.js';
export { isGrpcError } from './grpc-error.js';
export {
  CLIENT_KEEPALIVE_OPTIONS,
  CLIENT_KEEPALIVE_TIME_MS,
  CLIENT_KEEPALIVE_TIMEOUT_MS,
  FOREIGN_SERVER_KEEPALIVE_OPTIONS,
  SERVER_KEEPALIVE_OPTIONS,
} from './keepalive.js';
export {
  CLIENT_LOAD_BALANCING_OPTIONS,
  LOAD_BALANCING_POLICY,
  SERVER_MAX_CONNECTION_AGE_GRACE_MS,
  SERVER_MAX_CONNECTION_AGE_MS,
} from './load-balancing.js';
export { isRefusedStream, REFUSED_STREAM_ATTEMPTS } from './refused-stream.js';
export { ServerUnreachableError } from './server-unreachable.js';
export { describeCallError, isRequestRefusal, REQUEST_REFUSALS } from './refusal.js';
export { DEFAULT_RETRY_POLICY, RETRYABLE_CODES, withRetry } from './retry.js';
export type { RetryPolicy } from './retry.js';
export type {
  CallOptions,
  ClientConnectOptions,
  ClientTls,
  PromiseClient,
  DeepPartial,
} from './client.js';
export { serverStream } from './handle-server-stream.js';
export type { ServerStreamHandler } from './handle-server-stream.js';
export { unary } from './handle-unary.js';
export type { UnaryHandler } from './handle-unary.js';
export { startGrpcServer } from './server.js';
export type { GrpcServerOptions, RunningGrpcServer, ServerTls, ServiceBinding } from './server.js';
export { ServerError, toGrpcStatus, UNAVAILABLE_DETAILS } from './to-grpc-status.js';
export { checksDecoding, requireDecoded } from './undecodable-request.js';
// Status codes, for code outside the gRPC edge that must tell them apart (clients of handlers).
export { status as GrpcStatus } from '@grpc/grpc-js';
export { reportDatabaseHealth } from './database-health-report.js';
export { healthStatus } from './health-client.js';
