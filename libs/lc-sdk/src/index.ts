export { hexDump, json, table, yaml } from './attachments.js';
export {
  delay,
  parallelExec,
  parallelExecEx,
  ParallelTimeoutError,
  schedule,
} from './concurrency.js';
export type { Cancellable } from './concurrency.js';
export { Job } from './job.js';
export { Table } from './table.js';
export { LcService } from './lc-service.js';
export { InteractiveService } from './interactive-service.js';
export type { ReplyCallback, ReplyContext } from './interactive-service.js';
export type {
  Callback,
  CallbackContext,
  CallbackName,
  Callbacks,
  ParameterSpec,
} from './lc-service.js';
export { response, responseNotImplemented } from './response.js';
export type { HandlerAnswer, ResponseInit } from './response.js';
export { lcHandlerBinding, serveLcService } from './serve.grpc.js';
export type { ServeOptions } from './serve.grpc.js';
export { Extension } from './extension.js';
export type {
  ActionHandler,
  ActionSpec,
  ContinuationOrigin,
  ErrorReport,
  EventContext,
  EventHandler,
  ExtensionCallbacks,
  ExtensionContext,
  ExtensionOrg,
  RequestContext,
} from './extension.js';
export type {
  ContinuationInit,
  ExtensionAnswer,
  ExtensionResult,
  MetricInit,
} from './extension-answer.js';
export { ExtensionError, isExtensionError } from './extension-error.js';
export { extensionBinding, serveExtension } from './serve-extension.grpc.js';
export { serveLcHandlers } from './serve-handlers.grpc.js';
