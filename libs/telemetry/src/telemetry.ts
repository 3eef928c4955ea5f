import type { TelemetryOptions, Telemetry } from './telemetry-options.js';

export type { Telemetry, TelemetryOptions } from './telemetry-options.js';

/**
 * Starts OpenTelemetry for this process. Call it before anything that imports grpc-js, pg or
 * http is loaded (apps import their server lazily after it), so those get instrumented.
 *
 * Exports OTLP over HTTP/protobuf when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; the standard OTEL_* variables (OTEL_SERVICE_NAME,
 * OTEL_BSP_*, OTEL_EXPORTER_OTLP_HEADERS…) are honoured. Unset, or with OTEL_SDK_DISABLED=true,
 * nothing starts and the API stays the no-op tracer. The SDK (over a second to load) is only
 * loaded when something will be exported.
 */
export async function startTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  const env = options.env ?? process.env;
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint === undefined || endpoint === '' || env.OTEL_SDK_DISABLED === 'true') {
    return { enabled: false, shutdown: () => Promise.resolve() };
  }
  const { startSdk } = await import('./sdk.js');
  return startSdk(options, env);
}
