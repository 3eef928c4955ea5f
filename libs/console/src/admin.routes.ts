import { Hono } from 'hono';
import { roleFromJSON } from '@checkwire/proto';
import type { ApiToken, Service } from '@checkwire/proto';
import { checkSettingsWireToFile } from '@checkwire/check-settings';
import { Backend } from './backend.js';
import { jsonObject } from './body.js';
import { tokenOf, type ConsoleDeps, type ConsoleEnv } from './console-env.js';
import { HttpError } from './http-errors.js';
import { idParam } from './query-params.js';
import { roleName } from './session.routes.js';
import { serviceEdit } from './service-edit.js';
import { errorView } from './views.js';

/** Every seed field but the password, which the browser is only told is set. */
export function serviceView(s: Service) {
  const { password, createdAt, updatedAt, lastScanTime, checkSettings, ...rest } = s;
  return {
    ...rest,
    // As the competition file spells them (and the editor shows them); {} for none.
    checkSettings: checkSettingsWireToFile(checkSettings) ?? {},
    hasPassword: password !== '',
    lastScanTime: lastScanTime?.toISOString() ?? null,
    createdAt: createdAt?.toISOString() ?? null,
    updatedAt: updatedAt?.toISOString() ?? null,
  };
}

function tokenView(t: ApiToken) {
  return {
    id: t.id,
    name: t.name,
    role: roleName(t.role),
    teamId: t.teamId ?? null,
    subtypes: t.subtypes,
    serviceIds: t.serviceIds,
    prefix: t.prefix,
    createTime: t.createTime?.toISOString() ?? null,
    revokeTime: t.revokeTime?.toISOString() ?? null,
  };
}

/** Roles a token may be created with, by the names `roleName` gives them. */
const TOKEN_ROLES = ['admin', 'check_runner', 'blue', 'red', 'green', 'scheduler', 'lc_gateway'];

/** The white team's pages: services (view, edit) and API tokens (list, create once, revoke). */
export function adminRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  const as = (c: { get(key: 'session'): ConsoleEnv['Variables']['session'] }) =>
    Backend.as(tokenOf(c.get('session')));

  routes.get('/services', async (c) => {
    const { services } = await deps.backend.admin.listServices(
      { teamId: idParam(c.req.query(), 'team') },
      as(c),
    );
    return c.json(services.map(serviceView));
  });

  // One service for its page: the service (as the caller may see it), its recent scores and
  // (for whoever may read them) its recent errors.
  routes.get('/services/:id', async (c) => {
    const id = idParam({ id: c.req.param('id') }, 'id')!;
    const [{ service }, { scores }] = await Promise.all([
      deps.backend.admin.getService({ id }, as(c)),
      deps.backend.status.listScores({ serviceId: id, pageSize: 50, pageToken: '' }, as(c)),
    ]);
    const errors =
      c.get('session')?.role === 'admin'
        ? (
            await deps.backend.status.listServiceErrors(
              { serviceId: id, pageSize: 20, pageToken: '' },
              as(c),
            )
          ).serviceErrors.map((e) => errorView(e, deps.jaegerUrl))
        : null;
    return c.json({
      service: serviceView(service!),
      scores: scores.map((s) => ({
        id: s.id,
        result: s.result,
        errorMsg: s.errorMsg ?? null,
        createdAt: s.createdAt?.toISOString() ?? null,
        roundTime: s.roundTime?.toISOString() ?? null,
      })),
      errors,
    });
  });

  routes.patch('/services/:id', async (c) => {
    const id = idParam({ id: c.req.param('id') }, 'id')!;
    const { service } = await deps.backend.admin.updateService(
      serviceEdit(id, await jsonObject(c)),
      as(c),
    );
    return c.json(serviceView(service!));
  });

  routes.get('/tokens', async (c) => {
    const { tokens } = await deps.backend.tokens.listTokens(
      { includeRevoked: c.req.query('revoked') === 'true' },
      as(c),
    );
    return c.json(tokens.map(tokenView));
  });

  routes.post('/tokens', async (c) => {
    const { name, role, teamId } = await jsonObject(c);
    if (typeof name !== 'string' || typeof role !== 'string' || !TOKEN_ROLES.includes(role)) {
      throw new HttpError(
        400,
        `send {"name", "role", "teamId"?}; role is one of ${TOKEN_ROLES.join(', ')}`,
      );
    }
    if (
      teamId !== undefined &&
      teamId !== null &&
      !(typeof teamId === 'number' && Number.isInteger(teamId))
    ) {
      throw new HttpError(400, 'teamId: expected a team id (a whole number)');
    }
    const created = await deps.backend.tokens.createToken(
      {
        name,
        role: roleFromJSON(`ROLE_${role.toUpperCase()}`),
        teamId: typeof teamId === 'number' ? teamId : undefined,
      },
      as(c),
    );
    // The secret goes to the browser this once; the scoring server keeps only its hash.
    return c.json({ token: tokenView(created.token!), secret: created.secret });
  });

  routes.post('/tokens/:id/revoke', async (c) => {
    const id = idParam({ id: c.req.param('id') }, 'id')!;
    const { token } = await deps.backend.tokens.revokeToken({ id }, as(c));
    // Revoking the token this browser signed in with signs it out now.
    const session = c.get('session');
    if (session?.tokenId === id) deps.sessions.delete(session.id);
    return c.json(tokenView(token!));
  });
  return routes;
}
