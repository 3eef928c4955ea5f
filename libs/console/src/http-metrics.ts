import type { Attributes } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { histogram, metricsRecording, SECONDS_BUCKETS_FAST } from '@checkwire/metrics';

// OpenTelemetry's HTTP semantic conventions (stable): the route is the pattern that answered
// (`/api/status/services/:id`), never the path, so the label keeps few values.
const duration = histogram('http.server.request.duration', {
  description:
    "The console API's requests, by method, route and status, and how long each took to its " +
    "response's head (a live stream's head comes at once)",
  unit: 's',
  advice: { explicitBucketBoundaries: [...SECONDS_BUCKETS_FAST] },
});

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const sets = new Map<string, Attributes>();

function attributes(method: string, route: string, status: number): Attributes {
  const m = METHODS.has(method) ? method : '_OTHER';
  const key = `${m} ${route} ${status}`;
  let set = sets.get(key);
  if (set === undefined) {
    set = Object.freeze({
      'http.request.method': m,
      'http.route': route,
      'http.response.status_code': status,
    });
    sets.set(key, set);
  }
  return set;
}

/** Records every request it wraps in `http.server.request.duration` (nothing while metrics are off). */
export function httpMetrics(): MiddlewareHandler {
  return async (c, next) => {
    if (!metricsRecording()) return next();
    const started = performance.now();
    await next();
    duration.record(
      (performance.now() - started) / 1000,
      attributes(c.req.method, routePath(c), c.res.status),
    );
  };
}
