import { Client, credentials, Metadata } from '@grpc/grpc-js';
import { profiled } from './profile.js';
import { startApp, stopApp } from '@checkwire/proc';
import type { BenchArgs } from './args.js';
import { ECHO_METHOD } from './echo.js';
import { closedLoop, type Figure } from './stats.js';

/** (a) grpc-js unary echo between two processes: the transport's ceiling here. */
export async function benchEcho(args: BenchArgs): Promise<Figure> {
  const server = await startApp(
    profiled({
      name: 'echo',
      entry: 'tools/bench/src/echo-server.ts',
      ready: /listening on ([^\s"]+)/,
      echo: false,
    }),
    process.env,
  );
  const client = new Client(server.address, credentials.createInsecure());
  const payload = Buffer.alloc(24, 7);
  const call = () =>
    new Promise<void>((resolve, reject) =>
      client.makeUnaryRequest(
        ECHO_METHOD.path,
        ECHO_METHOD.requestSerialize,
        ECHO_METHOD.responseDeserialize,
        payload,
        new Metadata(),
        { deadline: Date.now() + 10_000 },
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  try {
    const { rate, samples } = await closedLoop(args.concurrency, args.warmup, args.seconds, call);
    return {
      name: `(a) echo, ${args.concurrency} clients`,
      rate,
      unit: 'RPC/s',
      p50Ms: samples.percentile(50),
      p99Ms: samples.percentile(99),
    };
  } finally {
    client.close();
    await stopApp(server);
  }
}
