import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { searchBody } from './body-search.js';
import { down, fromNetworkError, up, withTimeout, type Check } from './check.js';
import { MAX_HTTP_BODY_BYTES, MAX_HTTP_HEADER_BYTES } from './limits.js';

function targetUrl(scheme: 'http' | 'https', host: string, port: number, url: string): URL {
  if (/^https?:\/\//i.test(url)) {
    const u = new URL(url);
    if (port !== 0) u.port = String(port);
    return u;
  }
  return new URL(`${scheme}://${host}${port === 0 ? '' : `:${port}`}/`);
}

/**
 * GET the service's url: up on 2xx/3xx whose body (first MAX_HTTP_BODY_BYTES) contains `expect`
 * when set. The body is read only as far as needed, over a connection of its own that is closed
 * at the end. HTTPS does not verify certificates: competition services run self-signed ones.
 */
export function httpCheck(scheme: 'http' | 'https'): Check {
  return async (t, { timeoutMs }) => {
    const url = targetUrl(scheme, t.host, t.port, t.url);
    const deadline = Date.now() + timeoutMs;
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let req: ClientRequest | undefined;
    try {
      const res = await withTimeout(
        new Promise<IncomingMessage>((resolve, reject) => {
          req = request(url, {
            method: 'GET',
            agent: false,
            maxHeaderSize: MAX_HTTP_HEADER_BYTES,
            rejectUnauthorized: false,
          });
          req.on('response', resolve);
          req.on('error', reject);
          req.end();
        }),
        timeoutMs,
      );
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 400)
        return down('content', `${url.href} answered HTTP ${status}`);
      if (t.expect !== '') {
        const needle = Buffer.from(t.expect, 'utf8');
        const search = await withTimeout(
          searchBody(res, needle, MAX_HTTP_BODY_BYTES),
          Math.max(1, deadline - Date.now()),
        );
        if (search !== 'found') {
          const within = search === 'limit' ? ` in its first ${MAX_HTTP_BODY_BYTES} bytes` : '';
          return down(
            'content',
            `${url.href} does not contain the expected text${within}`,
            `expected: ${t.expect}`,
          );
        }
      }
      return up(`${url.href} answered HTTP ${status}`);
    } catch (err) {
      if ((err as { code?: string }).code === 'HPE_HEADER_OVERFLOW') {
        return down('content', `${url.href}: headers longer than ${MAX_HTTP_HEADER_BYTES} bytes`);
      }
      return fromNetworkError(err, url.href);
    } finally {
      req?.destroy();
    }
  };
}
