import type { Metadata } from '@grpc/grpc-js';
import type { Context } from '@opentelemetry/api';

/** What a handler knows about the call it serves. */
export interface CallContext {
  /** Request metadata (headers). */
  metadata: Metadata;
  /** Aborted when the client cancels or the deadline passes (built when first read). */
  readonly signal: AbortSignal;
  /** The signal's `aborted` alone, for code that only polls it: costs nothing to build. */
  readonly ended: Pick<AbortSignal, 'aborted'>;
  /** Remote address. */
  peer: string;
  /**
   * Sent back as response metadata `checkwire-trace-id` (success and error alike). Starts as the
   * trace of the call's own span; a handler may point it at another trace (a check's).
   */
  traceId: string | undefined;
  /** The caller's trace context (its traceparent), root when it sent none. */
  caller: Context;
}

/** The response metadata key that names the trace a call was recorded in. */
export const TRACE_ID_METADATA_KEY = 'checkwire-trace-id';
