import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { GrpcStatus, isGrpcError } from '@checkwire/grpc';
import { Role, roleToJSON } from '@checkwire/proto';
import { Backend } from './backend.js';
import type { ConsoleDeps, ConsoleEnv } from './console-env.js';
import { HttpError } from './http-errors.js';
import { cookieName } from './request-guard.js';
import type { Session } from './sessions.js';

/** Roles a person signs in with; the others are machines' tokens. */
const PEOPLE = new Set([Role.ROLE_ADMIN, Role.ROLE_BLUE, Role.ROLE_RED, Role.ROLE_GREEN]);

/** `ROLE_CHECK_RUNNER` → `check_runner`. */
export const roleName = (role: Role) =>
  roleToJSON(role)
    .replace(/^ROLE_/, '')
    .toLowerCase();

/** What the browser is told of its session (never the token). */
export function sessionView(session: Session | undefined) {
  if (session === undefined)
    return { signedIn: false, role: 'public', name: '', teamId: null, csrf: '' };
  return {
    signedIn: true,
    role: session.role,
    name: session.name,
    teamId: session.teamId ?? null,
    csrf: session.csrf,
  };
}

/** Sign in with a Checkwire token (checked by the scoring server), see who you are, sign out. */
export function sessionRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  routes.get('/', (c) => c.json(sessionView(c.get('session'))));

  routes.post('/', async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined);
    const token =
      typeof body === 'object' && body !== null && 'token' in body ? body.token : undefined;
    if (typeof token !== 'string' || token.trim() === '') {
      throw new HttpError(
        400,
        'paste a Checkwire token into "token" (an admin or team member token)',
      );
    }
    let who;
    try {
      who = await deps.backend.tokens.whoAmI({}, Backend.as(token.trim()));
    } catch (err) {
      if (isGrpcError(err, GrpcStatus.UNAUTHENTICATED)) {
        throw new HttpError(401, `that token was not accepted: ${err.details}`);
      }
      throw err;
    }
    if (!PEOPLE.has(who.role)) {
      throw new HttpError(
        403,
        `this is a ${roleName(who.role)} token, for a program rather than a person: sign in with an admin, blue, red or green team token`,
      );
    }
    const previous = c.get('session');
    if (previous !== undefined) deps.sessions.delete(previous.id);
    const session = deps.sessions.create({
      token: token.trim(),
      tokenId: who.token?.id ?? 0,
      role: roleName(who.role),
      name: who.token?.name ?? '',
      teamId: who.token?.teamId,
    });
    setCookie(c, cookieName(deps.secureCookies), session.id, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: deps.secureCookies,
      path: '/',
    });
    return c.json(sessionView(session));
  });

  routes.delete('/', (c) => {
    const session = c.get('session');
    if (session !== undefined) deps.sessions.delete(session.id);
    deleteCookie(c, cookieName(deps.secureCookies), { path: '/', secure: deps.secureCookies });
    return c.json(sessionView(undefined));
  });
  return routes;
}
