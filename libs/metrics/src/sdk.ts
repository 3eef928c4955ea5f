import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { bindInstruments, unbindInstruments } from './instruments.js';

/** The metrics SDK, loaded: what the endpoint's requests are answered from. */
export interface LoadedSdk {
  /** Writes the Prometheus text exposition of every instrument. */
  serve(req: IncomingMessage, res: ServerResponse): void;
  /** How many measurements taken while the SDK loaded were dropped (the buffer was full). */
  readonly droppedWhileLoading: number;
  shutdown(): Promise<void>;
}

/**
 * A MeterProvider of our own (not the API's global one: the SDK's grpc and http instrumentations,
 * loaded when traces are exported, would otherwise record duplicates of our RPC metrics on the
 * hot path) read by the Prometheus exporter, whose HTTP server is ours (metrics-endpoint.ts).
 */
export function loadSdk(app: string, env: Record<string, string | undefined>): LoadedSdk {
  const exporter = new PrometheusExporter({
    preventServerStart: true,
    // One meter ("checkwire"): its name on every series says nothing.
    withoutScopeInfo: true,
    // Every series says which app it came from (checkwire_app), whatever the scrape's job is.
    withResourceConstantLabels: /^checkwire\.app$/,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': env.OTEL_SERVICE_NAME ?? 'checkwire',
      'service.instance.id': `${app}-${hostname()}-${process.pid}`,
      'checkwire.app': app,
    }),
    readers: [exporter],
  });
  const droppedWhileLoading = bindInstruments(provider.getMeter('checkwire'));
  return {
    serve: (req, res) => exporter.getMetricsRequestHandler(req, res),
    droppedWhileLoading,
    async shutdown() {
      unbindInstruments();
      await provider.shutdown();
    },
  };
}
