import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

// The parts of OTLP's trace export request a test reads (field numbers as in
// opentelemetry-proto's trace.proto, common.proto, resource.proto and trace_service.proto).
const OTLP_TRACE_PROTO = `
syntax = "proto3";
package otlp;
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message Resource { repeated KeyValue attributes = 1; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
message InstrumentationScope { string name = 1; string version = 2; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4;
  string name = 5; int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9; repeated Link links = 13; Status status = 15;
}
message Link { bytes trace_id = 1; bytes span_id = 2; }
message Status { string message = 2; int32 code = 3; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value {
    string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5; bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
`;

const ExportTraceServiceRequest = protobuf
  .parse(OTLP_TRACE_PROTO, { keepCase: true })
  .root.lookupType('otlp.ExportTraceServiceRequest');

/** A span as an OTLP exporter sent it. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  kind: number;
  /** Epoch milliseconds (fractional). */
  startMs: number;
  endMs: number;
  attributes: Record<string, unknown>;
  /** 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
  scope: string;
  resource: Record<string, unknown>;
  /** The spans this one is linked to (a batch's callers). */
  links: { traceId: string; spanId: string }[];
}

interface RawValue {
  string_value?: string;
  bool_value?: boolean;
  int_value?: string | number;
  double_value?: number;
  array_value?: { values?: RawValue[] };
}
interface RawKeyValue {
  key: string;
  value?: RawValue;
}

function valueOf(v: RawValue | undefined): unknown {
  if (v === undefined) return undefined;
  if (v.string_value !== undefined) return v.string_value;
  if (v.bool_value !== undefined) return v.bool_value;
  if (v.int_value !== undefined) return Number(v.int_value);
  if (v.double_value !== undefined) return v.double_value;
  if (v.array_value !== undefined) return (v.array_value.values ?? []).map(valueOf);
  return undefined;
}

function attributes(kvs: RawKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((kvs ?? []).map((kv) => [kv.key, valueOf(kv.value)]));
}

const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex');
const ms = (n: { toString(): string } | undefined) =>
  n === undefined ? 0 : Number(BigInt(n.toString())) / 1e6;

/**
 * A real OTLP/HTTP trace receiver on 127.0.0.1: it decodes the protobuf export requests the
 * apps' exporters send (what Jaeger would receive) and keeps the spans for assertions.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      this.ingest(body);
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  /** Base URL for OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint = '';

  private constructor() {}

  static async start(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    const address = receiver.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    receiver.endpoint = `http://127.0.0.1:${port}`;
    return receiver;
  }

  private ingest(body: Buffer): void {
    const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), {
      longs: String,
    }) as {
      resource_spans?: {
        resource?: { attributes?: RawKeyValue[] };
        scope_spans?: {
          scope?: { name?: string };
          spans?: {
            trace_id?: Uint8Array;
            span_id?: Uint8Array;
            parent_span_id?: Uint8Array;
            name?: string;
            kind?: number;
            start_time_unix_nano?: string;
            end_time_unix_nano?: string;
            attributes?: RawKeyValue[];
            status?: { code?: number; message?: string };
            links?: { trace_id?: Uint8Array; span_id?: Uint8Array }[];
          }[];
        }[];
      }[];
    };
    for (const rs of request.resource_spans ?? []) {
      const resource = attributes(rs.resource?.attributes);
      for (const ss of rs.scope_spans ?? []) {
        for (const s of ss.spans ?? []) {
          this.spans.push({
            traceId: hex(s.trace_id),
            spanId: hex(s.span_id),
            parentSpanId: hex(s.parent_span_id),
            name: s.name ?? '',
            kind: s.kind ?? 0,
            startMs: ms(s.start_time_unix_nano),
            endMs: ms(s.end_time_unix_nano),
            attributes: attributes(s.attributes),
            status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
            scope: ss.scope?.name ?? '',
            resource,
            links: (s.links ?? []).map((l) => ({
              traceId: hex(l.trace_id),
              spanId: hex(l.span_id),
            })),
          });
        }
      }
    }
  }

  /** Resolves with the spans once `predicate` holds (the exporters batch, so spans arrive late). */
  async waitFor(
    predicate: (spans: ReceivedSpan[]) => boolean,
    timeoutMs = 15_000,
  ): Promise<ReceivedSpan[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.spans)) {
      if (Date.now() > deadline) {
        throw new Error(`spans never matched; got ${this.spans.map((s) => s.name).join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.spans;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
