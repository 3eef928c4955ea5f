import { hostname } from 'node:os';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { envInt } from '@checkwire/config';
import { CheckwireIdGenerator } from './id-generator.js';

import type { Telemetry, TelemetryOptions } from './telemetry-options.js';

/** The OpenTelemetry SDK, started: traces over OTLP with grpc, pg and http instrumented. */
export function startSdk(
  options: TelemetryOptions,
  env: Record<string, string | undefined>,
): Telemetry {
  const untraced = new Set((options.untracedGrpcMethods ?? []).map((m) => m.toLowerCase()));
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      'service.name': env.OTEL_SERVICE_NAME ?? 'checkwire',
      'service.version': options.version ?? '0.1.0',
      'service.instance.id': `${options.app}-${hostname()}-${process.pid}`,
      'checkwire.app': options.app,
    }),
    spanProcessors: [
      // Sized for thousands of spans a second: the SDK's defaults (a 2048-span queue flushed
      // every 5 s) drop spans under load. The standard OTEL_BSP_* variables override these.
      new BatchSpanProcessor(new OTLPTraceExporter(), {
        scheduledDelayMillis: envInt(env, 'OTEL_BSP_SCHEDULE_DELAY', 1000),
        maxExportBatchSize: envInt(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 2048),
        maxQueueSize: envInt(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 65_536),
        exportTimeoutMillis: envInt(env, 'OTEL_BSP_EXPORT_TIMEOUT', 30_000),
      }),
    ],
    idGenerator: new CheckwireIdGenerator(),
    instrumentations: [
      new GrpcInstrumentation({
        ignoreGrpcMethods: [(name) => untraced.has(name.toLowerCase())],
      }),
      new PgInstrumentation({
        requireParentSpan: true,
        ignoreConnectSpans: true,
        // A named prepared statement (the hot path) is recorded by name, not by its long text:
        // the text is in the code, and exporting it with every check would double the trace.
        requestHook: (span, info) => {
          if (info.query.name !== undefined) {
            span.setAttribute('db.query.text', `EXECUTE ${info.query.name}`);
          }
        },
      }),
      // Prometheus' scrapes of /metrics (libs/metrics) are not worth a trace each.
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => /^\/metrics(\?|$)/.test(req.url ?? ''),
      }),
    ],
    // Only traces: no metrics or logs pipelines are wanted (yet).
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    shutdown: () => (stopped ??= sdk.shutdown()),
  };
}
