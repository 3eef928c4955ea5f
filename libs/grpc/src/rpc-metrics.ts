import { status } from '@grpc/grpc-js';
import type { Attributes } from '@opentelemetry/api';
import {
  counter,
  histogram,
  metricsRecording,
  SECONDS_BUCKETS_FAST,
  upDownCounter,
} from '@checkwire/metrics';

// OpenTelemetry's RPC semantic conventions (stable, semconv 1.37+): `rpc.server.call.duration` in
// seconds, by `rpc.system.name`, `rpc.method` ("package.Service/Method") and `rpc.status_code`
// (the gRPC status by name). Unary calls only: the conventions leave a stream's duration out
// (an hour-long watch says nothing about latency), so streams are counted apart.

const callDuration = histogram('rpc.server.call.duration', {
  description:
    'Unary calls this server answered, by method and status code, and how long each took',
  unit: 's',
  advice: { explicitBucketBoundaries: [...SECONDS_BUCKETS_FAST] },
});
const streamsEnded = counter('checkwire.rpc.server.streams', {
  description: 'Server streams that ended, by method and status code',
  unit: '{stream}',
});
const streamsOpen = upDownCounter('checkwire.rpc.server.active_streams', {
  description: 'Server streams open now, by method',
  unit: '{stream}',
});

/** What a call reports about itself: its method's path, e.g. /checkwire.jobs.v1.JobsService/GetJob. */
interface Call {
  getPath(): string;
}

interface MethodAttributes {
  /** Without a status code (open streams). */
  method: Attributes;
  /** By status code, made on first use. */
  byCode: Attributes[];
}

/**
 * Attribute sets per method path, made once, so recording a call allocates nothing. Bounded: a
 * call reaches a handler only for a method the server registered.
 */
const methods = new Map<string, MethodAttributes>();

function methodAttributes(path: string): MethodAttributes {
  let m = methods.get(path);
  if (m === undefined) {
    const method = Object.freeze({ 'rpc.system.name': 'grpc', 'rpc.method': path.slice(1) });
    m = { method, byCode: [] };
    methods.set(path, m);
  }
  return m;
}

function attributes(path: string, code: number): Attributes {
  const m = methodAttributes(path);
  return (m.byCode[code] ??= Object.freeze({
    ...m.method,
    'rpc.status_code': status[code] ?? String(code),
  }));
}

/** When a call started (performance.now()), or -1 while no metrics are kept: then nothing is. */
export function rpcStarted(): number {
  return metricsRecording() ? performance.now() : -1;
}

/** Records a unary call answered with `code`, started at `started` (from rpcStarted). */
export function recordUnary(call: Call, code: number, started: number): void {
  if (started < 0) return;
  callDuration.record((performance.now() - started) / 1000, attributes(call.getPath(), code));
}

/** Counts a server stream as open; returns rpcStarted's value for `streamEnded`. */
export function streamOpened(call: Call): number {
  const started = rpcStarted();
  if (started >= 0) streamsOpen.add(1, methodAttributes(call.getPath()).method);
  return started;
}

/** A stream opened by `streamOpened` ended with `code`. */
export function streamEnded(call: Call, code: number, started: number): void {
  if (started < 0) return;
  const path = call.getPath();
  streamsOpen.add(-1, methodAttributes(path).method);
  streamsEnded.add(1, attributes(path, code));
}
