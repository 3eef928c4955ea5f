import { Hono } from 'hono';
import type { CredentialPool } from '@checkwire/proto';
import { Backend } from './backend.js';
import { jsonObject, textField } from './body.js';
import { tokenOf, type ConsoleDeps, type ConsoleEnv } from './console-env.js';
import { HttpError } from './http-errors.js';
import { idParam } from './query-params.js';

/** A pool as the browser sees it: its usernames, never their passwords. */
function poolView(p: CredentialPool) {
  return {
    id: p.id,
    name: p.name,
    usernames: p.credentials.map((c) => c.username),
    createdAt: p.createdAt?.toISOString() ?? null,
  };
}

/** `body.credentials` as username/password pairs. */
function credentialsOf(body: Record<string, unknown>) {
  const list = body.credentials;
  if (!Array.isArray(list) || list.length > 1000) {
    throw new HttpError(
      400,
      'credentials: expected a list of {"username", "password"} (at most 1000)',
    );
  }
  return list.map((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null) {
      throw new HttpError(400, `credentials[${i}]: expected {"username", "password"}`);
    }
    const e = entry as Record<string, unknown>;
    return { username: textField(e, 'username', 256), password: textField(e, 'password', 256) };
  });
}

/** Teams (renamed) and credential pools (listed, created, their credentials replaced). */
export function directoryRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  const as = (c: { get(key: 'session'): ConsoleEnv['Variables']['session'] }) =>
    Backend.as(tokenOf(c.get('session')));

  routes.patch('/teams/:id', async (c) => {
    const id = idParam({ id: c.req.param('id') }, 'id')!;
    const { team } = await deps.backend.admin.updateTeam(
      { id, name: textField(await jsonObject(c), 'name', 256) },
      as(c),
    );
    return c.json({ id: team!.id, name: team!.name });
  });

  routes.get('/credential-pools', async (c) => {
    const { credentialPools } = await deps.backend.admin.listCredentialPools({}, as(c));
    return c.json(credentialPools.map(poolView));
  });

  routes.post('/credential-pools', async (c) => {
    const body = await jsonObject(c);
    const { credentialPool } = await deps.backend.admin.createCredentialPool(
      { name: textField(body, 'name', 256), credentials: credentialsOf(body) },
      as(c),
    );
    return c.json(poolView(credentialPool!));
  });

  // Replaces the pool's credentials (they are never read back, so they are written whole).
  routes.put('/credential-pools/:id/credentials', async (c) => {
    const id = idParam({ id: c.req.param('id') }, 'id')!;
    const { credentialPool } = await deps.backend.admin.updateCredentialPool(
      {
        id,
        name: '',
        credentials: credentialsOf(await jsonObject(c)),
        updateMask: ['credentials'],
      },
      as(c),
    );
    return c.json(poolView(credentialPool!));
  });
  return routes;
}
