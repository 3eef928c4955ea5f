export { CALLBACK_LIMITS, callbackLimits } from './callback-limits.js';
export type { CallbackLimits } from './callback-limits.js';
export { HANDLER_ETYPES, NOT_IMPLEMENTED, PERIODS } from './protocol.js';
export type {
  LcAttachment,
  LcJob,
  LcNarration,
  LcRequestBody,
  LcResponseBody,
} from './protocol.js';
export { pythonJsonDumps } from './python-json.js';
export type { PythonJsonOptions } from './python-json.js';
export {
  canonicalBody,
  isSignatureShaped,
  sign,
  SIGNATURE_HEADER,
  signatureMatches,
  startSignature,
  verifySignature,
} from './signature.js';
export type { StreamingSignature } from './signature.js';
export {
  callbackKey,
  investigationId,
  parseInvestigationId,
  pythonBytesRepr,
  rootInvestigationId,
} from './investigation-id.js';
export type { ParsedInvestigationId } from './investigation-id.js';
export {
  EXTENSION_KINDS,
  EXTENSION_PROTOCOL_VERSION,
  EXTENSION_SIGNATURE_HEADER,
  EXTENSION_TIMEOUT_MS,
  extensionError,
  extensionStatus,
  parseExtensionEnvelope,
} from './extension-protocol.js';
export type {
  EnvelopeParse,
  ExtensionContinuationBody,
  ExtensionEnvelope,
  ExtensionKind,
  ExtensionMessage,
  ExtensionMetricReport,
  ExtensionOrgAccess,
  ExtensionResponseBody,
} from './extension-protocol.js';
export { SCHEMA_DATA_TYPES } from './extension-schema.js';
export type {
  RequestSchema,
  SchemaDataType,
  SchemaElement,
  SchemaObject,
  SchemaRequestData,
} from './extension-schema.js';
export {
  GUNZIP_CHUNK_BYTES,
  GUNZIP_RATIO_SLACK_BYTES,
  gunzipBounded,
  InflatedTooLargeError,
  NotGzipError,
} from './bounded-gunzip.js';
export type { GunzipLimits } from './bounded-gunzip.js';
export { EXTENSION_REGISTRY_PREFIX, extensionRegistryName } from './extension-registry-name.js';
export { isJsonObject } from './json-object.js';
export { FORBIDDEN_JSON_KEYS, jsonShapeProblem, MAX_JSON_DEPTH } from './json-shape.js';
