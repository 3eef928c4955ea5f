import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { randomSpanId, randomTraceId, withChosenIds } from './id-generator.js';

/** The identity of a check span, persisted with its check run. */
export interface CheckTrace {
  traceId: string;
  spanId: string;
  /** The caller's span when it sent a traceparent; null for a check that starts a trace. */
  parentSpanId: string | null;
  sampled: boolean;
}

export const TRACER_NAME = 'checkwire';

/** A new check span identity: a child of the caller's span when there is one, else a new trace. */
export function newCheckTrace(parent: Context = context.active()): CheckTrace {
  const caller = trace.getSpanContext(parent);
  if (caller !== undefined && isSpanContextValid(caller)) {
    return {
      traceId: caller.traceId,
      spanId: randomSpanId(),
      parentSpanId: caller.spanId,
      sampled: (caller.traceFlags & 1) !== 0, // TraceFlags.SAMPLED
    };
  }
  return { traceId: randomTraceId(), spanId: randomSpanId(), parentSpanId: null, sampled: true };
}

const flags = (t: CheckTrace) => (t.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE);

/** A context whose active span is the check span, for recording its children before it ends. */
export function checkContext(t: CheckTrace): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: t.traceId,
    spanId: t.spanId,
    traceFlags: flags(t),
    isRemote: true,
  });
}

export interface CheckSpanEnd {
  start: Date;
  end: Date;
  attributes: Attributes;
  /** Sets status ERROR with this message. */
  error?: string | undefined;
}

/**
 * Records the check span, from in progress to done, with the ids it was given at in progress.
 * A no-op while tracing is off.
 */
export function emitCheckSpan(t: CheckTrace, s: CheckSpanEnd): void {
  const parent =
    t.parentSpanId === null
      ? ROOT_CONTEXT
      : trace.setSpanContext(ROOT_CONTEXT, {
          traceId: t.traceId,
          spanId: t.parentSpanId,
          traceFlags: flags(t),
          isRemote: true,
        });
  const span = withChosenIds({ traceId: t.traceId, spanId: t.spanId }, () =>
    trace
      .getTracer(TRACER_NAME)
      .startSpan(
        'check',
        { kind: SpanKind.INTERNAL, startTime: s.start, attributes: s.attributes },
        parent,
      ),
  );
  if (s.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: s.error });
  span.end(s.end);
}

/**
 * Runs `fn` inside a span named `name`, child of `parent` (the check span's context), so the
 * database work it does is recorded inside the check.
 */
export async function inChildSpan<T>(
  name: string,
  parent: Context,
  fn: () => Promise<T>,
): Promise<T> {
  const span = trace.getTracer(TRACER_NAME).startSpan(name, { kind: SpanKind.INTERNAL }, parent);
  return runInSpan(span, parent, fn);
}

/** Runs `fn` with `span` active under `parent`; the span ends with fn, ERROR if fn threw. */
export async function runInSpan<T>(span: Span, parent: Context, fn: () => Promise<T>): Promise<T> {
  try {
    return await context.with(trace.setSpan(parent, span), fn);
  } catch (err) {
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: err instanceof Error ? err.message : 'failed',
    });
    throw err;
  } finally {
    span.end();
  }
}

/**
 * The caller's trace context from its request headers (W3C traceparent/tracestate), or the root
 * context when it sent none (or tracing is off).
 */
export function callerContext(get: (key: string) => string | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, undefined, {
    get: (_carrier, key) => get(key),
    keys: () => ['traceparent', 'tracestate'],
  });
}

/** Records a finished child span of `parent` after the fact (its work is already done). */
export function recordChildSpan(name: string, parent: Context, start: Date, end: Date): void {
  trace
    .getTracer(TRACER_NAME)
    .startSpan(name, { kind: SpanKind.INTERNAL, startTime: start }, parent)
    .end(end);
}

/** The trace id of the active span, if there is a valid one. */
export function activeTraceId(ctx: Context = context.active()): string | undefined {
  const sc = trace.getSpanContext(ctx);
  return sc !== undefined && isSpanContextValid(sc) ? sc.traceId : undefined;
}
