import {
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  type Attributes,
  type Context,
  type Link,
} from '@opentelemetry/api';
import { runInSpan, TRACER_NAME } from './check-trace.js';

/**
 * Runs `fn` in a span of its own that serves many callers at once (a group commit): a root span
 * linked to each caller's span, as OpenTelemetry records a batch, so each caller's trace leads to
 * the shared work and the work is not filed under one caller at random.
 */
export async function inBatchSpan<T>(
  name: string,
  callers: Context[],
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  const links: Link[] = [];
  for (const caller of callers) {
    const sc = trace.getSpanContext(caller);
    if (sc !== undefined && isSpanContextValid(sc)) links.push({ context: sc });
  }
  const span = trace
    .getTracer(TRACER_NAME)
    .startSpan(name, { kind: SpanKind.INTERNAL, attributes, links }, ROOT_CONTEXT);
  return runInSpan(span, ROOT_CONTEXT, fn);
}
