import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@checkwire/log';
import { startMetrics, type MetricsEndpoint } from '@checkwire/metrics';
import { scrapeMetrics, scrapeUntil } from '@checkwire/testing';
import {
  createPromiseClient,
  ServerError,
  serverStream,
  startGrpcServer,
  unary,
  type RunningGrpcServer,
} from '../src/index.js';
import { bytesMethod } from './bytes-method.js';

// The RPC metrics of a real server, read from a real /metrics endpoint in this process.

const method = (name: string, responseStream: boolean) =>
  bytesMethod('Meter', name, responseStream);
const definition = {
  ok: method('Ok', false),
  missing: method('Missing', false),
  broken: method('Broken', false),
  watch: { ...method('Watch', true), responseStream: true as const },
};

// The edge logs what it answers INTERNAL; kept here, not printed.
const logged: string[] = [];
const log = createLogger('grpc-test', { write: (_level, line) => logged.push(line) });

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

let server: RunningGrpcServer;
let metrics: MetricsEndpoint;
let url: string;
beforeAll(async () => {
  metrics = await startMetrics({
    app: 'grpc-test',
    listen: { host: '127.0.0.1', port: 0, hostVar: 'H', portVar: 'P' },
    env: {},
  });
  metrics.load();
  url = metrics.url!;
  server = await startGrpcServer({
    services: [
      {
        name: 'checkwire.test.Meter',
        definition,
        implementation: {
          ok: unary((req: Buffer) => Promise.resolve(req)),
          missing: unary(() => Promise.reject(new ServerError(status.NOT_FOUND, 'no such thing'))),
          // Anything but a ServerError is INTERNAL at the edge.
          broken: unary(() => Promise.reject(new Error('a bug')), log),
          // "end": two messages and the end; "fail": one, then FAILED_PRECONDITION; anything
          // else: one, then open until the caller leaves.
          watch: serverStream(async function* (req: Buffer, context) {
            yield Buffer.from('first');
            if (req.toString() === 'end') yield Buffer.from('second');
            else if (req.toString() === 'fail')
              throw new ServerError(status.FAILED_PRECONDITION, 'no');
            else await aborted(context.signal);
          }),
        },
      },
    ],
  });
});
afterAll(async () => {
  await server.shutdown();
  await metrics.shutdown();
});

const attrs = (m: string, code?: string) => ({
  rpc_system_name: 'grpc',
  rpc_method: `checkwire.test.Meter/${m}`,
  ...(code === undefined ? {} : { rpc_status_code: code }),
});

describe('RPC metrics', () => {
  it('count unary calls by method and status code, with their durations', async () => {
    const client = createPromiseClient(definition, server.address);
    try {
      for (let i = 0; i < 3; i++) await client.ok(Buffer.from('x'));
      await expect(client.missing(Buffer.from(''))).rejects.toMatchObject({
        code: status.NOT_FOUND,
      });
      await expect(client.broken(Buffer.from(''))).rejects.toMatchObject({ code: status.INTERNAL });
      await expect(client.broken(Buffer.from(''))).rejects.toMatchObject({ code: status.INTERNAL });
    } finally {
      client.close();
    }
    expect(logged).toHaveLength(2);
    // Recorded after the answer is handed to grpc-js: the client may have it a moment before.
    const s = await scrapeUntil(url, (x) => x.sum('rpc_server_call_duration_count') === 6);
    expect(s.types.get('rpc_server_call_duration')).toBe('histogram');
    expect(s.units.get('rpc_server_call_duration')).toBe('s');
    const counts = s
      .find('rpc_server_call_duration_count')
      .map((x) => [x.labels.rpc_method, x.labels.rpc_status_code, x.value]);
    expect(counts.sort()).toEqual([
      ['checkwire.test.Meter/Broken', 'INTERNAL', 2],
      ['checkwire.test.Meter/Missing', 'NOT_FOUND', 1],
      ['checkwire.test.Meter/Ok', 'OK', 3],
    ]);
    const ok = s.find('rpc_server_call_duration_count', attrs('Ok', 'OK'))[0]!;
    expect(ok.labels).toEqual({ ...attrs('Ok', 'OK'), checkwire_app: 'grpc-test' });
    // Every call is in the +Inf bucket, and took some time, less than a minute.
    expect(s.sum('rpc_server_call_duration_bucket', { ...attrs('Ok', 'OK'), le: '+Inf' })).toBe(3);
    const seconds = s.sum('rpc_server_call_duration_sum', attrs('Ok', 'OK'));
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(60);
  });

  it('count server streams open, and ended by status code (cancelled when the caller left)', async () => {
    const client = createPromiseClient(definition, server.address);
    try {
      const ended: string[] = [];
      for await (const m of client.watch(Buffer.from('end'))) ended.push(m.toString());
      expect(ended).toEqual(['first', 'second']);
      const failing = client.watch(Buffer.from('fail'))[Symbol.asyncIterator]();
      await failing.next();
      await expect(failing.next()).rejects.toMatchObject({ code: status.FAILED_PRECONDITION });

      const open = client.watch(Buffer.from('stay'))[Symbol.asyncIterator]();
      expect((await open.next()).value?.toString()).toBe('first');
      const during = await scrapeUntil(
        url,
        (x) => x.sum('checkwire_rpc_server_streams_total', attrs('Watch')) === 2,
      );
      expect(during.sum('checkwire_rpc_server_active_streams', attrs('Watch'))).toBe(1);
      await open.return?.(); // leaves: the server sees the call cancelled
    } finally {
      client.close();
    }
    const after = await scrapeUntil(
      url,
      (x) => x.sum('checkwire_rpc_server_streams_total', attrs('Watch', 'CANCELLED')) === 1,
    );
    expect(
      after
        .find('checkwire_rpc_server_streams_total')
        .map((x) => x.labels.rpc_status_code)
        .sort(),
    ).toEqual(['CANCELLED', 'FAILED_PRECONDITION', 'OK']);
    expect(after.sum('checkwire_rpc_server_streams_total', attrs('Watch', 'OK'))).toBe(1);
    expect(after.sum('checkwire_rpc_server_active_streams', attrs('Watch'))).toBe(0);
    // Streams are not in the call-duration histogram (its latency is for unary calls).
    expect(after.find('rpc_server_call_duration_count', attrs('Watch'))).toEqual([]);
    expect((await scrapeMetrics(url)).text).toContain(
      '# TYPE checkwire_rpc_server_streams_total counter',
    );
  });
});
