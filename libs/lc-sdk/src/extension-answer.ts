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
  /** A whole number from 0 to 2^53 - 1 (lc-extension reads a uint64). */
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

/**
 * A metric lc-extension can read (a uint64): a whole number from 0 to 2^53 - 1. A TypeError naming
 * the SKU otherwise: the handler's answer is wrong, which is logged like any other fault of it.
 */
function checkedMetric(m: MetricInit): MetricInit {
  if (!Number.isSafeInteger(m.value) || m.value < 0) {
    throw new TypeError(
      `metric ${JSON.stringify(m.sku)}: value must be a whole number from 0 to 2^53 - 1, got ${m.value}`,
    );
  }
  return { sku: m.sku, value: m.value };
}

/** The contract's success (`retriable` unset: it only means something with an error). */
export function toExtensionResponse(answer: ExtensionResult): ExtensionResponse {
  return {
    error: '',
    data: answer?.data ?? {},
    continuations: (answer?.continuations ?? []).map((c) => ({
      inDelaySec: c.inDelaySec,
      action: c.action,
      state: c.state ?? {},
    })),
    metrics: (answer?.metrics ?? []).map(checkedMetric),
  };
}

/** The contract's failure: `retriable` picks HTTP 500 (sent again) or 400. */
export function errorResponse(error: string, retriable: boolean): ExtensionResponse {
  return { error, retriable, data: {}, continuations: [], metrics: [] };
}
