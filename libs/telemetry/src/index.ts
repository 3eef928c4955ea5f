export {
  activeTraceId,
  callerContext,
  checkContext,
  emitCheckSpan,
  inChildSpan,
  newCheckTrace,
  recordChildSpan,
  TRACER_NAME,
} from './check-trace.js';
export type { CheckSpanEnd, CheckTrace } from './check-trace.js';
export { inBatchSpan } from './batch-span.js';
export { CheckwireIdGenerator, withChosenIds } from './id-generator.js';
export { startTelemetry } from './telemetry.js';
export type { Telemetry, TelemetryOptions } from './telemetry.js';
