import type { ExtensionResponse } from '@checkwire/proto';

/** A follow-up call: `action` with `state` as its data, `inDelaySec` seconds from now. */
export interface ContinuationInit {
  inDelaySec: number;
  action: string;
  state?: Record<string, unknown>;
}

/** One billing metric (lc-extension's Metric). */
export interface MetricInit {
  sku: string;
  value: number;
}

/**
 * What a handler answers: `data` for LimaCharlie, continuations for Checkwire's scheduler to run
 * (durably, once, after their delay), billing metrics. Nothing at all is a success with `{}`.
 */
export interface ExtensionAnswer {
  data?: unknown;
  continuations?: ContinuationInit[];
  metrics?: MetricInit[];
}

export type ExtensionResult = ExtensionAnswer | undefined | void;

/** The contract's success. */
export function toExtensionResponse(answer: ExtensionResult): ExtensionResponse {
  return {
    error: '',
    retriable: false,
    data: answer?.data ?? {},
    continuations: (answer?.continuations ?? []).map((c) => ({
      inDelaySec: c.inDelaySec,
      action: c.action,
      state: c.state ?? {},
    })),
    metrics: (answer?.metrics ?? []).map((m) => ({ sku: m.sku, value: m.value })),
  };
}

/** The contract's failure: `retriable` picks HTTP 500 (sent again) or 400. */
export function errorResponse(error: string, retriable: boolean): ExtensionResponse {
  return { error, retriable, data: {}, continuations: [], metrics: [] };
}
