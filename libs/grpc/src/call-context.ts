import type { Metadata } from '@grpc/grpc-js';

/** What a handler knows about the call it serves. */
export interface CallContext {
  /** Request metadata (headers). */
  metadata: Metadata;
  /** Aborted when the client cancels or the deadline passes. */
  signal: AbortSignal;
  /** Remote address. */
  peer: string;
}
