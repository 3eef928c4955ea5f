import { Hono } from 'hono';
import { PasswordChangeState, type AuditEntry, type PasswordChange } from '@checkwire/proto';
import { Backend } from './backend.js';
import { boolField, intField, jsonObject, roundTimeField, textField } from './body.js';
import { tokenOf, type ConsoleDeps, type ConsoleEnv } from './console-env.js';
import { choiceParam, idParam, textParam } from './query-params.js';

const STATES = {
  pending: PasswordChangeState.PASSWORD_CHANGE_STATE_PENDING,
  applied: PasswordChangeState.PASSWORD_CHANGE_STATE_APPLIED,
  rejected: PasswordChangeState.PASSWORD_CHANGE_STATE_REJECTED,
} as const;
const STATE_NAME = new Map<PasswordChangeState, string>(
  Object.entries(STATES).map(([name, state]) => [state, name]),
);

function auditView(e: AuditEntry) {
  return {
    id: e.id,
    time: e.time?.toISOString() ?? null,
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    reason: e.reason,
    before: e.beforeJson,
    after: e.afterJson,
  };
}

/** A password change request, without the password: the console never shows one. */
function changeView(p: PasswordChange) {
  return {
    id: p.id,
    /** 0 for a credential pool entry's request. */
    serviceId: p.serviceId,
    /** 0 for a service's request. */
    poolId: p.credentialPoolId,
    poolName: p.credentialPoolName,
    /** 0 when an admin asked for a pool several teams (or none) use. */
    teamId: p.teamId,
    username: p.username,
    state: STATE_NAME.get(p.state) ?? 'unknown',
    requestTime: p.requestTime?.toISOString() ?? null,
    applyTime: p.applyTime?.toISOString() ?? null,
    decideTime: p.decideTime?.toISOString() ?? null,
    decisionReason: p.decisionReason,
  };
}

/**
 * Running the event: point adjustments, flips and re-scored rounds, and the audit log; password
 * change requests and review.
 */
export function operationsRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  const as = (c: { get(key: 'session'): ConsoleEnv['Variables']['session'] }) =>
    Backend.as(tokenOf(c.get('session')));

  routes.get('/audit', async (c) => {
    const page = await deps.backend.adjustments.listAuditLog(
      { pageSize: 100, pageToken: textParam(c.req.query(), 'page', 200) ?? '' },
      as(c),
    );
    return c.json({ entries: page.entries.map(auditView), nextPage: page.nextPageToken || null });
  });

  routes.post('/adjustments', async (c) => {
    const body = await jsonObject(c);
    const { adjustment } = await deps.backend.adjustments.adjustPoints(
      {
        teamId: intField(body, 'teamId'),
        points: intField(body, 'points'),
        reason: textField(body, 'reason'),
      },
      as(c),
    );
    return c.json({ id: adjustment!.id, teamId: adjustment!.teamId, points: adjustment!.points });
  });

  // Turns a service's result in one round the other way (up ↔ down), with a reason.
  routes.post('/flips', async (c) => {
    const body = await jsonObject(c);
    const flipped = await deps.backend.adjustments.flipCheckResult(
      {
        serviceId: intField(body, 'serviceId'),
        roundTime: roundTimeField(body),
        reason: textField(body, 'reason'),
      },
      as(c),
    );
    return c.json({ up: flipped.up, points: flipped.points });
  });

  // Counts a past round again under the rules now (the white team corrected a service's points,
  // say): how many services it counted, and each team whose points in the round changed.
  routes.post('/rescores', async (c) => {
    const body = await jsonObject(c);
    const done = await deps.backend.adjustments.rescoreRound(
      { roundTime: roundTimeField(body), reason: textField(body, 'reason') },
      as(c),
    );
    return c.json({
      services: done.services,
      changed: done.changed.map((t) => ({
        teamId: t.teamId,
        pointsBefore: t.pointsBefore,
        pointsAfter: t.pointsAfter,
      })),
      auditId: done.audit?.id ?? null,
    });
  });

  routes.get('/password-changes', async (c) => {
    const state = choiceParam(c.req.query(), 'state', ['pending', 'applied', 'rejected'] as const);
    const { passwordChanges } = await deps.backend.passwordChanges.listPasswordChanges(
      {
        state:
          state === undefined
            ? PasswordChangeState.PASSWORD_CHANGE_STATE_UNSPECIFIED
            : STATES[state],
      },
      as(c),
    );
    return c.json(passwordChanges.map(changeView));
  });

  routes.post('/password-changes', async (c) => {
    const body = await jsonObject(c);
    const { passwordChange } = await deps.backend.passwordChanges.requestPasswordChange(
      {
        serviceId: intField(body, 'serviceId'),
        username: textField(body, 'username', 256),
        password: textField(body, 'password', 256),
      },
      as(c),
    );
    return c.json(changeView(passwordChange!));
  });

  routes.post('/password-changes/:id/decision', async (c) => {
    const id = idParam({ id: c.req.param('id') }, 'id')!;
    const body = await jsonObject(c);
    const { passwordChange } = await deps.backend.passwordChanges.decidePasswordChange(
      { id, approve: boolField(body, 'approve'), reason: textField(body, 'reason') },
      as(c),
    );
    return c.json(changeView(passwordChange!));
  });
  return routes;
}
