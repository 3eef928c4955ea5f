import { createServer } from 'node:http';

/**
 * An OTLP/HTTP endpoint that accepts and counts export requests without decoding them: the
 * apps pay the full cost of exporting, the benchmark's own process as little as possible.
 */
export async function startOtlpSink(): Promise<{
  endpoint: string;
  stats: { requests: number; bytes: number };
  stop(): Promise<void>;
}> {
  const stats = { requests: 0, bytes: 0 };
  const server = createServer((req, res) => {
    req.on('data', (c: Buffer) => (stats.bytes += c.length));
    req.on('end', () => {
      stats.requests++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
