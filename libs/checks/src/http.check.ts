import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { down, fromNetworkError, up, withTimeout, type Check } from './check.js';

const MAX_BODY = 1024 * 1024;

function targetUrl(scheme: 'http' | 'https', host: string, port: number, url: string): URL {
  if (/^https?:\/\//i.test(url)) {
    const u = new URL(url);
    if (port !== 0) u.port = String(port);
    return u;
  }
  return new URL(`${scheme}://${host}${port === 0 ? '' : `:${port}`}/`);
}

/**
 * GET the service's url: up on 2xx/3xx whose body (first MiB) contains `expect` when set.
 * HTTPS does not verify certificates: competition services run self-signed ones.
 */
export function httpCheck(scheme: 'http' | 'https'): Check {
  return async (t, { timeoutMs }) => {
    const url = targetUrl(scheme, t.host, t.port, t.url);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let req: ReturnType<typeof httpRequest> | undefined;
    try {
      const { status, body } = await withTimeout(
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          req = request(url, { method: 'GET', rejectUnauthorized: false }, (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
              if (size < MAX_BODY) chunks.push(c);
              size += c.length;
            });
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            );
            res.on('error', reject);
          });
          req.on('error', reject);
          req.end();
        }),
        timeoutMs,
        () => req?.destroy(),
      );
      if (status < 200 || status >= 400)
        return down('content', `${url.href} answered HTTP ${status}`);
      if (t.expect !== '' && !body.includes(t.expect)) {
        return down(
          'content',
          `${url.href} does not contain the expected text`,
          `expected: ${t.expect}`,
        );
      }
      return up(`${url.href} answered HTTP ${status}`);
    } catch (err) {
      return fromNetworkError(err, url.href);
    }
  };
}
