import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callerContext,
  checkContext,
  emitCheckSpan,
  inChildSpan,
  newCheckTrace,
} from './check-trace.js';
import { CheckwireIdGenerator } from './id-generator.js';

const exporter = new InMemorySpanExporter();
beforeAll(() => {
  const provider = new BasicTracerProvider({
    idGenerator: new CheckwireIdGenerator(),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => {
  trace.disable();
  propagation.disable();
  context.disable();
});

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

describe('check spans', () => {
  it('take the caller traceparent as parent, or start a trace', () => {
    const caller = callerContext((k) =>
      k === 'traceparent' ? `00-${CALLER_TRACE}-${CALLER_SPAN}-01` : undefined,
    );
    const child = newCheckTrace(caller);
    expect(child).toMatchObject({
      traceId: CALLER_TRACE,
      parentSpanId: CALLER_SPAN,
      sampled: true,
    });
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
    const root = newCheckTrace(callerContext(() => undefined));
    expect(root.parentSpanId).toBeNull();
    expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root.traceId).not.toBe(CALLER_TRACE);
  });

  it('are recorded at the end with the ids, times and status chosen at the start', async () => {
    exporter.reset();
    const t = newCheckTrace(
      callerContext((k) =>
        k === 'traceparent' ? `00-${CALLER_TRACE}-${CALLER_SPAN}-01` : undefined,
      ),
    );
    const seen = await inChildSpan('checkwire.InsertServiceScore', checkContext(t), () =>
      Promise.resolve(trace.getSpanContext(context.active())?.traceId),
    );
    expect(seen).toBe(CALLER_TRACE);
    const start = new Date('2026-11-24T10:00:00.000Z');
    const end = new Date('2026-11-24T10:00:02.500Z');
    emitCheckSpan(t, { start, end, attributes: { 'checkwire.service.id': 7 }, error: 'abandoned' });
    const [child, check] = exporter.getFinishedSpans();
    expect(check!.name).toBe('check');
    expect(check!.spanContext()).toMatchObject({ traceId: CALLER_TRACE, spanId: t.spanId });
    expect(check!.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    const seconds = start.getTime() / 1000;
    expect(check!.startTime).toEqual([seconds, 0]);
    expect(check!.endTime).toEqual([seconds + 2, 500_000_000]);
    expect(check!.status).toEqual({ code: 2, message: 'abandoned' });
    expect(check!.attributes).toEqual({ 'checkwire.service.id': 7 });
    expect(child!.parentSpanContext?.spanId).toBe(t.spanId);
    expect(child!.spanContext().traceId).toBe(CALLER_TRACE);
  });

  it('are roots of their own trace when the caller sent none', () => {
    exporter.reset();
    const t = newCheckTrace(ROOT_CONTEXT);
    emitCheckSpan(t, { start: new Date(0), end: new Date(1000), attributes: {} });
    const [check] = exporter.getFinishedSpans();
    expect(check!.spanContext()).toMatchObject({ traceId: t.traceId, spanId: t.spanId });
    expect(check!.parentSpanContext).toBeUndefined();
    expect(check!.status.code).toBe(0);
  });
});
