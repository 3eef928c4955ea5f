import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { ConsoleDeps, ConsoleEnv } from './console-env.js';
import { HttpError } from './http-errors.js';
import { csrfMatches } from './sessions.js';

export const SESSION_COOKIE = 'checkwire_session';
/** Behind HTTPS the cookie is `__Host-` prefixed: the browser then refuses it from a subdomain. */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

export const cookieName = (secure: boolean) => (secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every API request: finds its session, and lets a write through only if it is JSON (a form on
 * another site cannot send that without the browser asking us first), comes from this origin
 * when the browser says where it comes from, and carries its session's CSRF token.
 */
export function requestGuard(deps: ConsoleDeps): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const session = deps.sessions.get(getCookie(c, cookieName(deps.secureCookies)));
    c.set('session', session);
    if (!SAFE_METHODS.has(c.req.method)) {
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/json\s*(;|$)/i.test(type)) {
        throw new HttpError(415, 'send the request body as JSON (content-type: application/json)');
      }
      // Hosts, not schemes, are compared: behind a proxy that ends TLS the console sees http
      // while the browser says https (the proxy must pass the Host header on).
      const origin = c.req.header('origin');
      if (origin !== undefined && hostOf(origin) !== c.req.header('host')) {
        throw new HttpError(403, `a request from ${origin} may not change anything here`);
      }
      if (session !== undefined && !csrfMatches(session, c.req.header('x-csrf-token'))) {
        throw new HttpError(
          403,
          'this page is out of date (its CSRF token is not this session’s): reload it',
        );
      }
    }
    await next();
  };
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
