import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The gateway's ceiling: a bare Node HTTP server that does only what must be done for a callback
// (read the body, check its HMAC in constant time, parse it) and answers a fixed JSON.

const secret = Buffer.from(process.env.BENCH_LC_SECRET ?? 'bench-secret');
const answer = JSON.stringify({ success: true, data: { pong: true } });
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('hex'));
    const given = Buffer.from(String(req.headers['lc-svc-sig'] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    JSON.parse(body.toString('utf8'));
    res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`bare-lc-server listening on http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
